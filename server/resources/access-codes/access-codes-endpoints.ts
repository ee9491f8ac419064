import { AccessCode } from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { UserParams } from '../accounts/accounts-endpoints';
import { canListAccounts } from '../accounts/accounts-policy';
import { issueAccessCode, onlyCoordinatorsIssueCodes } from './access-codes';

export const accessCodesEndpoints = [
  endpoint({
    method: 'post',
    path: '/users/:id/access-codes',
    tag: 'users',
    summary: "Issue a one-time access code (the region's coordinator, or the admin); shown once",
    permission: permission.policy(canListAccounts, onlyCoordinatorsIssueCodes),
    params: UserParams,
    responses: { 201: { description: 'Issued: the code is shown this once', schema: AccessCode } },
    handle: ({ ctx, actor, params }) => issueAccessCode(ctx, actor, params.id),
  }),
];
