import { z } from 'zod';
import { Id, PendingRecoveryList } from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { confirmRecovery, listPendingRecoveries, onlySecondPersonsConfirm } from './recoveries';
import { canConfirmRecoveries } from './recoveries-policy';

const tag = 'recoveries';

export const recoveriesEndpoints = [
  endpoint({
    method: 'get',
    path: '/recoveries',
    tag,
    summary: 'Account recoveries waiting for your confirmation (DPO: the region; manager: the commune)',
    permission: permission.policy(canConfirmRecoveries, onlySecondPersonsConfirm),
    responses: { 200: { description: 'The waiting recoveries, latest first', schema: PendingRecoveryList } },
    handle: ({ ctx, actor }) => listPendingRecoveries(ctx, actor),
  }),

  endpoint({
    method: 'post',
    path: '/recoveries/:id/confirm',
    tag,
    summary: "Confirm, as a second person, that a recovered account is in its owner's hands",
    permission: permission.policy(canConfirmRecoveries, onlySecondPersonsConfirm),
    params: z.object({ id: Id.describe('recovery id') }),
    responses: { 200: { description: 'Confirmed', schema: z.object({ confirmed: z.number().int() }) } },
    problems: { 409: 'Confirmed already' },
    handle: ({ ctx, actor, params }) => confirmRecovery(ctx, actor, params.id),
  }),
];
