import type { TaskHistory } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ForbiddenError, NotFoundError } from '../../core/errors';
import { verifyChain } from '../../core/hash-chain';
import type { DomainContext } from '../../context';
import { chainedFields, listSubjectEvents } from '../../db/events';
import { findActorsByIds } from '../accounts/accounts-repo';
import { listCitizenReads } from './citizen-reads-repo';
import { canUpdateTask, canViewTask, canViewTaskHistory } from './tasks-policy';
import type { EventRow } from '../../db/schema';
import { findCommune } from '../communes/communes-repo';
import { tokenNames } from '../integrations/integrations-repo';
import { presentTaskEvent, type EventParties } from './tasks-presenter';
import { findTask } from './tasks-repo';
import { msg } from '../../core/messages';

export async function taskHistory(ctx: DomainContext, actor: Actor, taskId: string): Promise<TaskHistory> {
  const task = await findTask(ctx.db, taskId);
  if (!task || !canViewTaskHistory(actor, task)) throw new NotFoundError('task');
  await ctx.sequencer.flush();
  const rows = await listSubjectEvents(ctx.db, { taskId });
  const people = await findActorsByIds(ctx.db, [
    ...new Set(rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : []))),
  ]);
  const names = new Map(people.map((p) => [p.id, p.displayName]));
  const parties = await eventParties(ctx, rows);
  return {
    items: rows.map((row) =>
      presentTaskEvent(row, row.actorUserId ? (names.get(row.actorUserId) ?? null) : null, parties(row)),
    ),
    // Events not yet numbered are not hashed yet either; a numbered event without a hash is tampering.
    chainValid: verifyChain(
      rows.flatMap((row) =>
        row.seq === null ? [] : [{ ...chainedFields(row), prevHash: row.prevHash, hash: row.hash ?? '' }],
      ),
    ),
  };
}

/** What a posting event's snapshot says of who it was for and by (the snapshot is hash-chained with it). */
interface PostingFacts {
  on_behalf?: boolean;
  requesting_commune_id?: string;
  posted_by_token_id?: string | null;
}

/** The commune a coordinator posted for, and the token an integration posted with, of each creation. */
async function eventParties(ctx: DomainContext, rows: EventRow[]): Promise<(row: EventRow) => EventParties> {
  const facts = (row: EventRow): PostingFacts => (row.action === 'create' ? (row.snapshot as PostingFacts) : {});
  const communeIds = new Set<string>();
  const tokenIds = new Set<string>();
  for (const row of rows) {
    const f = facts(row);
    if (f.on_behalf && f.requesting_commune_id) communeIds.add(f.requesting_commune_id);
    if (f.posted_by_token_id) tokenIds.add(f.posted_by_token_id);
  }
  const communes = new Map<string, string>();
  for (const id of communeIds) {
    const commune = await findCommune(ctx.db, id);
    if (commune) communes.set(id, commune.name);
  }
  const tokens = await tokenNames(ctx.db, [...tokenIds]);
  return (row) => {
    const f = facts(row);
    const communeName = f.on_behalf && f.requesting_commune_id ? communes.get(f.requesting_commune_id) : undefined;
    const tokenName = f.posted_by_token_id ? tokens.get(f.posted_by_token_id) : undefined;
    return {
      onBehalfOf: communeName && f.requesting_commune_id ? { communeId: f.requesting_commune_id, communeName } : null,
      integration: tokenName && f.posted_by_token_id ? { tokenId: f.posted_by_token_id, name: tokenName } : null,
    };
  };
}

export const onlyRequestingManagerSeesReads = msg('only_requesting_manager_sees_reads');

/** Who read a task's citizen data: for the requesting commune's manager (GDPR access requests). */
export async function citizenReads(ctx: DomainContext, actor: Actor, taskId: string) {
  const task = await findTask(ctx.db, taskId);
  if (!task || !canViewTask(actor, task)) throw new NotFoundError('task');
  if (!canUpdateTask(actor, task)) throw new ForbiddenError(onlyRequestingManagerSeesReads);
  const rows = await listCitizenReads(ctx.db, taskId);
  return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
}
