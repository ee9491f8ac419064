import crypto from 'node:crypto';
import type { Drill, DrillCreate, DrillList } from '../../../shared/schemas';
import { taskSearchText } from '../../../shared/task-search';
import { actorUserId, type Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors';
import { msg } from '../../core/messages';
import type { DomainContext } from '../../context';
import { transaction, type Executor } from '../../db/client';
import type { Job } from '../../jobs/scheduler';
import { eventMeta } from '../../db/events';
import { listCommunes } from '../communes/communes-repo';
import { listTaskTypes } from '../task-types/task-types-repo';
import { codesFor, uniqueViolation } from '../tasks/task-posting';
import { insertSearchTexts, insertTasks } from '../tasks/tasks-repo';
import { scriptedWave } from './drill-wave';
import { canEndDrill, canListDrills, canRunDrills, canSeeDrillHistory, canViewDrill } from './drills-policy';
import { presentDrill } from './drills-presenter';
import {
  drillFigures,
  endedDrills,
  eraseDrillTraces,
  findDrill,
  insertDrill,
  lockRunningDrill,
  markDrillEnded,
  overDrills,
  runningDrill,
} from './drills-repo';

export const onlyCoordinatorsDrill = msg('only_coordinators_drill');
export const onlyRegionMembersSeeDrills = msg('only_region_members_see_drills');

const HISTORY = 50;

const drillRunning = () => new ConflictError(msg('drill_running'), 'drill_running');

/**
 * Starts a drill in the coordinator's region and posts its scripted wave of made-up tasks, all in one
 * transaction: the drill and its tasks exist together or not at all. A drill already running in the
 * region is refused (409 `drill_running`) by the unique index on running drills, so two starts at
 * once cannot both succeed.
 */
export async function startDrill(ctx: DomainContext, actor: Actor, input: DrillCreate): Promise<Drill> {
  if (!canRunDrills(actor)) throw new ForbiddenError(onlyCoordinatorsDrill);
  if (await runningDrill(ctx.db, actor.regionId)) throw drillRunning();
  const regionCommunes = await listCommunes(ctx.db, actor.regionId);
  const inIncident = regionCommunes.filter((c) => c.status === 'incident');
  const types = await listTaskTypes(ctx.db);
  const startedAt = ctx.clock.now();
  const labels = new Map(types.map((t) => [t.key, { fr: t.labelFr, en: t.labelEn }]));
  for (let attempt = 1; ; attempt++) {
    const id = crypto.randomUUID();
    const wave = scriptedWave({
      drillId: id,
      regionId: actor.regionId,
      count: input.tasks,
      startedAt,
      durationMinutes: input.durationMinutes,
      postedBy: actorUserId(actor),
      communes: inIncident.length > 0 ? inIncident : regionCommunes,
      types,
    });
    // Drawn before the transaction: PGlite has one connection, which the transaction holds.
    const codes = await codesFor(ctx, wave);
    try {
      const drill = await transaction(ctx.db, async (tx) => {
        const row = await insertDrill(tx, {
          id,
          regionId: actor.regionId,
          name: input.name,
          tasksPosted: input.tasks,
          durationMinutes: input.durationMinutes,
          startedBy: actorUserId(actor),
          startedAt,
        });
        const inserted = await insertTasks(
          tx,
          wave.map((task, i) => ({ ...task, code: codes[i] ?? '' })),
          eventMeta(actor, 'create', null, null),
        );
        await insertSearchTexts(
          tx,
          inserted.map((t) => ({ taskId: t.id, searchText: taskSearchText(t, labels.get(t.type)) })),
        );
        return row;
      });
      return presentDrill(drill);
    } catch (err) {
      const index = uniqueViolation(err);
      if (index === 'drills_running_key') throw drillRunning();
      if (index === 'tasks_code_key' && attempt < 3) continue;
      throw err;
    }
  }
}

/** The region's running drill, and for the coordinator the ended ones with their reports. */
export async function listDrills(ctx: DomainContext, actor: Actor): Promise<DrillList> {
  if (!canListDrills(actor)) throw new ForbiddenError(onlyRegionMembersSeeDrills);
  const running = await runningDrill(ctx.db, actor.regionId);
  const ended = canSeeDrillHistory(actor) ? await endedDrills(ctx.db, actor.regionId, HISTORY) : [];
  return { running: running ? presentDrill(running) : null, items: ended.map(presentDrill), nextCursor: null };
}

export async function getDrill(ctx: DomainContext, actor: Actor, id: string): Promise<Drill> {
  const drill = await findDrill(ctx.db, id);
  if (!drill || !canViewDrill(actor, drill)) throw new NotFoundError('drill');
  return presentDrill(drill);
}

/**
 * Ends the drill `id` in `tx` if it still runs: its figures are computed and kept with it, then every
 * trace of its made-up tasks is deleted (drills-repo eraseDrillTraces). `endedBy` is null when the
 * drill's planned time ran out (drillEndsJob).
 */
async function endRunningDrill(tx: Executor, id: string, endedBy: string | null, at: Date) {
  const drill = await lockRunningDrill(tx, id);
  if (!drill) return undefined;
  const report = await drillFigures(tx, drill, at);
  await eraseDrillTraces(tx, drill.id);
  return markDrillEnded(tx, drill.id, { endedBy, endedAt: at, report });
}

/** Ends a running drill, with its report, in one transaction. Ending it again is 409. */
export async function endDrill(ctx: DomainContext, actor: Actor, id: string): Promise<Drill> {
  const found = await findDrill(ctx.db, id);
  if (!found || !canViewDrill(actor, found)) throw new NotFoundError('drill');
  if (!canEndDrill(actor, found)) throw new ForbiddenError(onlyCoordinatorsDrill);
  const ended = await transaction(ctx.db, (tx) => endRunningDrill(tx, id, actorUserId(actor), ctx.clock.now()));
  if (!ended) throw new ConflictError(msg('drill_ended'), 'drill_ended');
  return presentDrill(ended);
}

/**
 * A drill ends by itself once `durationMinutes` have passed since it started, as if its coordinator
 * had ended it then: the same report, and nothing of it left. Once across instances (the scheduler).
 */
export function drillEndsJob(): Job {
  return {
    name: 'drill-ends',
    everyMs: 60_000,
    async run(tx, now) {
      let ended = 0;
      for (const drill of await overDrills(tx, now)) {
        if (await endRunningDrill(tx, drill.id, null, now)) ended++;
      }
      return { ended };
    },
  };
}
