import { z } from 'zod';
import {
  Id,
  TransferAnswer,
  TransferRequest,
  TransferRequestCreate,
  TransferRequestListQuery,
  TransferRequestPage,
} from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { TaskParams } from '../tasks/tasks-endpoints';
import {
  acceptTransfer,
  declineTransfer,
  getTransfer,
  listTransfers,
  onlyClerksOrCoordinatorAsk,
  onlyHolderAnswers,
  onlyRegionMembersSeeTransfers,
  requestTransfer,
} from './transfers';
import { canAnswerTransfers, canListTransfers, canRequestTransfers } from './transfers-policy';

const tag = 'transfers';
const TransferParams = z.object({ id: Id.describe('transfer request id') });
const answered = { 200: { description: 'The request as it is now', schema: TransferRequest } };

/** Transfers of a claim not started between communes (SPEC.md, Coordination). */
export const transfersEndpoints = [
  endpoint({
    method: 'post',
    path: '/tasks/:id/transfer-requests',
    tag,
    summary:
      'Ask the commune holding a claimed task, not started, to hand it over: a clerk for their commune, the ' +
      "coordinator for the commune it names (`communeId`); unanswered after the region's transferTimeoutMinutes, " +
      'the task moves to the asker',
    permission: permission.policy(canRequestTransfers, onlyClerksOrCoordinatorAsk),
    params: TaskParams,
    body: TransferRequestCreate,
    responses: { 201: { description: 'The open request', schema: TransferRequest } },
    problems: {
      409:
        'Not a claimed task (`not_transferable`: open, in progress, done…), a request already open on it ' +
        '(`transfer_pending`, with `current`), or your commune holds it already (`already_holder`)',
    },
    handle: ({ ctx, actor, params, body }) => requestTransfer(ctx, actor, params.id, body),
  }),

  endpoint({
    method: 'get',
    path: '/transfer-requests',
    tag,
    summary:
      "The open transfer requests for your commune and those it or you made (the coordinator: the region's), " +
      "oldest first; one task's with `taskId`",
    permission: permission.policy(canListTransfers, onlyRegionMembersSeeTransfers),
    query: TransferRequestListQuery,
    responses: { 200: { description: 'A page of open requests', schema: TransferRequestPage } },
    handle: ({ ctx, actor, query }) => listTransfers(ctx, actor, query),
  }),

  endpoint({
    method: 'get',
    path: '/transfer-requests/:id',
    tag,
    summary: 'A transfer request, with whether you may answer it',
    permission: permission.policy(canListTransfers, onlyRegionMembersSeeTransfers),
    params: TransferParams,
    responses: { 200: { description: 'The request', schema: TransferRequest } },
    handle: ({ ctx, actor, params }) => getTransfer(ctx, actor, params.id),
  }),

  endpoint({
    method: 'post',
    path: '/transfer-requests/:id/accept',
    tag,
    summary:
      "Accept a transfer request (the holder's clerks and managers): the claim moves to the asking commune, " +
      "within that commune's cap of active claims",
    permission: permission.policy(canAnswerTransfers, onlyHolderAnswers),
    params: TransferParams,
    body: TransferAnswer,
    responses: answered,
    problems: {
      409:
        'Answered, timed out or cancelled already (`transfer_closed`), or the asking commune at its cap ' +
        '(`claim_cap`, with `cap` and `active`)',
    },
    handle: ({ ctx, actor, params }) => acceptTransfer(ctx, actor, params.id),
  }),

  endpoint({
    method: 'post',
    path: '/transfer-requests/:id/decline',
    tag,
    summary: "Decline a transfer request (the holder's clerks and managers): the claim stays",
    permission: permission.policy(canAnswerTransfers, onlyHolderAnswers),
    params: TransferParams,
    body: TransferAnswer,
    responses: answered,
    problems: { 409: 'Answered, timed out or cancelled already (`transfer_closed`)' },
    handle: ({ ctx, actor, params }) => declineTransfer(ctx, actor, params.id),
  }),
];
