import {
  CancelRequest,
  ClaimRequest,
  CompleteRequest,
  ReassignRequest,
  ReleaseRequest,
  StartRequest,
  Task,
} from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { claimTask, onlyClerksClaim } from './task-claims';
import { cancelTask, completeTask, forbiddenMessages, reassignTask, releaseTask, startTask } from './tasks';
import { tag, TaskParams } from './tasks-endpoints';
import { canClaimTasks, canCoordinateTasks, canPostTasks, canReleaseTasks } from './tasks-policy';

const changed = { 200: { description: 'The task as it is now', schema: Task } };
const conflict = { 409: 'Conflict: claimed by another commune, stale version or impossible change' };

/** The changes of a task's status: the life cycle of SPEC.md (task-rules.ts). */
export const taskActionsEndpoints = [
  endpoint({
    method: 'post',
    path: '/tasks/:id/claim',
    tag,
    summary:
      "Claim an open task for your commune (clerk): exactly one claim wins, within the region's cap of active claims",
    permission: permission.policy(canClaimTasks, onlyClerksClaim),
    params: TaskParams,
    body: ClaimRequest,
    responses: changed,
    problems: {
      409:
        'Conflict: claimed by another commune (`already_claimed`), no longer open (`invalid_transition`), or ' +
        "the commune's active claims at the region's cap (`claim_cap`, with `cap` and `active`)",
    },
    handle: ({ ctx, actor, params }) => claimTask(ctx, actor, params.id),
  }),

  endpoint({
    method: 'post',
    path: '/tasks/:id/start',
    tag,
    summary: 'Start a claimed task',
    permission: permission.policy(canClaimTasks, forbiddenMessages.start),
    params: TaskParams,
    body: StartRequest,
    ifMatch: true,
    responses: changed,
    problems: conflict,
    handle: ({ ctx, actor, params, body }) => startTask(ctx, actor, params.id, body.version),
  }),

  endpoint({
    method: 'post',
    path: '/tasks/:id/complete',
    tag,
    summary: 'Complete a task in progress, with an outcome note',
    permission: permission.policy(canClaimTasks, forbiddenMessages.complete),
    params: TaskParams,
    body: CompleteRequest,
    ifMatch: true,
    responses: changed,
    problems: conflict,
    handle: ({ ctx, actor, params, body }) => completeTask(ctx, actor, params.id, body),
  }),

  endpoint({
    method: 'post',
    path: '/tasks/:id/release',
    tag,
    summary: 'Give a claimed task back to the board',
    permission: permission.policy(canReleaseTasks, forbiddenMessages.release),
    params: TaskParams,
    body: ReleaseRequest,
    ifMatch: true,
    responses: changed,
    problems: conflict,
    handle: ({ ctx, actor, params, body }) => releaseTask(ctx, actor, params.id, body),
  }),

  endpoint({
    method: 'post',
    path: '/tasks/:id/cancel',
    tag,
    summary: 'Cancel a task (requesting manager)',
    permission: permission.policy(canPostTasks, forbiddenMessages.cancel),
    params: TaskParams,
    body: CancelRequest,
    ifMatch: true,
    responses: changed,
    problems: conflict,
    handle: ({ ctx, actor, params, body }) => cancelTask(ctx, actor, params.id, body),
  }),

  endpoint({
    method: 'post',
    path: '/tasks/:id/reassign',
    tag,
    summary: 'Hand a claimed task to another commune (coordinator)',
    permission: permission.policy(canCoordinateTasks, forbiddenMessages.reassign),
    params: TaskParams,
    body: ReassignRequest,
    ifMatch: true,
    responses: changed,
    problems: conflict,
    handle: ({ ctx, actor, params, body }) => reassignTask(ctx, actor, params.id, body),
  }),
];
