import { Router, type Request } from 'express';
import { z } from 'zod';
import { limits } from '../../shared/limits';
import {
  CancelRequest,
  ClaimRequest,
  CompleteRequest,
  FieldError,
  Id,
  QueryBoolean,
  ReassignRequest,
  ReleaseRequest,
  StartRequest,
  TaskCreate,
  TaskListQuery,
  TaskUpdate,
} from '../../shared/schemas';
import type { DomainContext } from '../domain/context';
import { citizenReads, taskHistory } from '../domain/history';
import { createTasks, type PostingRow } from '../domain/task-posting';
import {
  cancelTask,
  claimTask,
  completeTask,
  getTask,
  listTasksFor,
  reassignTask,
  releaseTask,
  startTask,
  updateTask,
} from '../domain/tasks';
import { ConflictError, ValidationError } from '../errors';
import { readTaskCsv, taskCsvTemplate } from '../http/csv';
import { actorOf, body, param, query, withIfMatch, zodFieldErrors } from '../http/validate';
import type { Metrics } from '../metrics';

/** A change's body, with the version taken from If-Match when the body has none. */
function versioned<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  return body(schema, { body: withIfMatch(req) } as Request);
}

const BulkQuery = z.strictObject({ dryRun: QueryBoolean.optional() });

export function tasksRouter(ctx: DomainContext, metrics: Metrics): Router {
  const router = Router();
  const taskId = (raw: unknown) => param(Id, raw, 'task id');

  router.get('/tasks', async (req, res) => {
    res.json(await listTasksFor(ctx, actorOf(req), query(TaskListQuery, req)));
  });

  router.post('/tasks', async (req, res) => {
    const actor = actorOf(req);
    const input = body(TaskCreate, req);
    const result = await createTasks(ctx, actor, [{ row: 1, input }]);
    res.status(result.created ? 201 : 200).json(result.items[0]?.task);
  });

  router.get('/tasks/import-template.csv', (_req, res) => {
    res.type('text/csv').attachment('entraide-import.csv').send(taskCsvTemplate());
  });

  router.post('/tasks/bulk', async (req, res) => {
    const actor = actorOf(req);
    const { dryRun = false } = query(BulkQuery, req);
    const raw =
      typeof req.body === 'string'
        ? readTaskCsv(req.body)
        : Array.isArray(req.body)
          ? (req.body as unknown[]).map((value, i) => ({ row: i + 1, value }))
          : undefined;
    if (!raw)
      throw new ValidationError('Send a JSON array of tasks, or CSV with the template header.', [
        {
          field: 'body',
          message: 'must be a JSON array or text/csv',
          code: 'wrong_type',
          params: { expected: 'array' },
        },
      ]);
    if (raw.length === 0)
      throw new ValidationError('The batch has no task in it.', [
        { field: 'body', message: 'must hold at least one task', code: 'too_few', params: { min: 1 } },
      ]);
    if (raw.length > limits.bulkRowsMax) {
      throw new ValidationError(
        `A batch holds at most ${limits.bulkRowsMax} tasks; this one has ${raw.length}. Split it.`,
        [
          {
            field: 'body',
            message: `must hold at most ${limits.bulkRowsMax} tasks`,
            code: 'too_many',
            params: { max: limits.bulkRowsMax },
          },
        ],
      );
    }
    const rows: PostingRow[] = [];
    const errors: FieldError[] = [];
    for (const { row, value } of raw) {
      const parsed = TaskCreate.safeParse(value);
      if (parsed.success) rows.push({ row, input: parsed.data });
      else errors.push(...zodFieldErrors(parsed.error, value, row));
    }
    const result = await createTasks(ctx, actor, rows, { batch: true, dryRun, priorErrors: errors });
    // 200 for a dry run, or for a retried batch whose tasks all exist already.
    res.status(!dryRun && result.created ? 201 : 200).json({ dryRun, count: result.items.length, items: result.items });
  });

  router.get('/tasks/:id', async (req, res) => {
    res.json(await getTask(ctx, actorOf(req), taskId(req.params.id)));
  });

  router.patch('/tasks/:id', async (req, res) => {
    res.json(await updateTask(ctx, actorOf(req), taskId(req.params.id), versioned(TaskUpdate, req)));
  });

  router.get('/tasks/:id/events', async (req, res) => {
    res.json(await taskHistory(ctx, actorOf(req), taskId(req.params.id)));
  });

  router.get('/tasks/:id/citizen-reads', async (req, res) => {
    res.json(await citizenReads(ctx, actorOf(req), taskId(req.params.id)));
  });

  router.post('/tasks/:id/claim', async (req, res) => {
    const actor = actorOf(req);
    const id = taskId(req.params.id);
    body(ClaimRequest, req);
    try {
      const task = await claimTask(ctx, actor, id);
      metrics.claims.inc();
      res.json(task);
    } catch (err) {
      if (err instanceof ConflictError && err.code === 'already_claimed') metrics.claimConflicts.inc();
      throw err;
    }
  });

  router.post('/tasks/:id/start', async (req, res) => {
    const { version } = versioned(StartRequest, req);
    res.json(await startTask(ctx, actorOf(req), taskId(req.params.id), version));
  });
  router.post('/tasks/:id/complete', async (req, res) => {
    res.json(await completeTask(ctx, actorOf(req), taskId(req.params.id), versioned(CompleteRequest, req)));
  });
  router.post('/tasks/:id/release', async (req, res) => {
    res.json(await releaseTask(ctx, actorOf(req), taskId(req.params.id), versioned(ReleaseRequest, req)));
  });
  router.post('/tasks/:id/cancel', async (req, res) => {
    res.json(await cancelTask(ctx, actorOf(req), taskId(req.params.id), versioned(CancelRequest, req)));
  });
  router.post('/tasks/:id/reassign', async (req, res) => {
    res.json(await reassignTask(ctx, actorOf(req), taskId(req.params.id), versioned(ReassignRequest, req)));
  });

  return router;
}
