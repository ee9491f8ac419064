import {
  AnswerRequest,
  QuestionRequest,
  CancelRequest,
  ClaimRequest,
  CompleteRequest,
  ReassignRequest,
  ReleaseRequest,
  StartRequest,
  Task,
  TimeCorrection,
} from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { claimTask, onlyClerksClaim } from './task-claims';
import { correctTaskTime } from './task-time';
import {
  answerQuestion,
  askQuestion,
  cancelTask,
  completeTask,
  forbiddenMessages,
  reassignTask,
  releaseTask,
  startTask,
} from './tasks';
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
    summary: "Complete a task in progress, with an outcome note and the minutes spent (the type's default unless said)",
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
    path: '/tasks/:id/questions',
    tag,
    summary:
      'Ask the requesting commune a question (a clerk of the holder): the claimed or started task waits in ' +
      'waiting_info, its due date stopped, until the answer',
    permission: permission.policy(canClaimTasks, forbiddenMessages.question),
    params: TaskParams,
    body: QuestionRequest,
    ifMatch: true,
    responses: changed,
    problems: { 409: 'Stale version, or a task neither claimed nor in progress (`invalid_transition`)' },
    handle: ({ ctx, actor, params, body }) => askQuestion(ctx, actor, params.id, body),
  }),

  endpoint({
    method: 'post',
    path: '/tasks/:id/answers',
    tag,
    summary:
      'Answer the question a task waits on (a manager of the requesting commune): it goes back to where it ' +
      'was, its due date later by the time it waited',
    permission: permission.policy(canPostTasks, forbiddenMessages.answer),
    params: TaskParams,
    body: AnswerRequest,
    ifMatch: true,
    responses: changed,
    problems: { 409: 'Stale version, or a task not waiting on an answer (`invalid_transition`)' },
    handle: ({ ctx, actor, params, body }) => answerQuestion(ctx, actor, params.id, body),
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

  endpoint({
    method: 'patch',
    path: '/tasks/:id/time',
    tag,
    summary: 'Correct the minutes a done task took (its holder), until a closed cost statement covers it',
    permission: permission.policy(canClaimTasks, forbiddenMessages.correct_time),
    params: TaskParams,
    body: TimeCorrection,
    ifMatch: true,
    responses: changed,
    problems: { 409: 'Stale version, a task not done, or a closed statement covers it (statement_closed)' },
    handle: ({ ctx, actor, params, body }) => correctTaskTime(ctx, actor, params.id, body),
  }),
];
