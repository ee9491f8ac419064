import { ChangesPage, ChangesQuery } from '../../../shared/schemas';
import { isRegionMember } from '../../core/actor';
import { endpoint, permission } from '../../http/endpoint';
import { changesSince, onlyRegionMembersFollowChanges } from './changes';

export const changesEndpoints = [
  endpoint({
    method: 'get',
    path: '/changes',
    tag: 'changes',
    summary: 'Board changes after a sequence number, in commit order',
    permission: permission.policy(isRegionMember, onlyRegionMembersFollowChanges),
    query: ChangesQuery,
    responses: { 200: { description: 'The changes; pass `last` as the next `since`', schema: ChangesPage } },
    handle: ({ ctx, actor, query }) => changesSince(ctx, actor, query.since, query.limit),
  }),
];
