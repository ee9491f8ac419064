import type { BoardChange, ChangesPage } from '../../../shared/schemas';
import { isRegionMember, type Actor } from '../../core/actor';
import { ForbiddenError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { eventsSince, lastSequence } from '../../db/events';
import { presentChange } from './changes-presenter';
import { msg } from '../../core/messages';

export const onlyRegionMembersFollowChanges = msg('only_region_members_follow_changes');

/** Board changes after `since`, in sequence order, scoped to the actor's region. */
export async function changesSince(
  ctx: DomainContext,
  actor: Actor,
  since: number,
  limit: number,
): Promise<ChangesPage> {
  if (!isRegionMember(actor)) throw new ForbiddenError(onlyRegionMembersFollowChanges);
  // What committed before the question is numbered first, so a writer reads its own writes.
  await ctx.sequencer.flush();
  // The head is read first: every event numbered up to it has committed, so a reader that jumps to
  // it skips nothing, even the events of other regions it could not see anyway.
  const head = await lastSequence(ctx.db);
  const rows = await eventsSince(ctx.db, actor.regionId, since, head, limit + 1);
  const page = rows.slice(0, limit);
  const items: BoardChange[] = page.map(presentChange);
  const hasMore = rows.length > limit;
  const last = hasMore ? (page[page.length - 1]?.seq ?? since) : Math.max(since, head);
  return { items, last, hasMore, head };
}
