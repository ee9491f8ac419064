import type { FieldError, TaskCreate } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors';
import type { DomainContext } from '../../context';
import type { CommuneRow } from '../../db/schema';
import { findCommune } from '../communes/communes-repo';
import { listIncidents } from '../incidents/incidents-repo';
import { canCoordinateTasks, canPostTasks } from './tasks-policy';
import { msg } from '../../core/messages';

export const onlyManagersPost = msg('only_managers_post');
export const ownCommuneOnly = msg('own_commune_only');
export const tokenOwnCommuneOnly = msg('token_own_commune_only');

/** The commune each row is posted for, and the open incidents of those communes. */
export interface PostingScope {
  /** By row number. */
  communeOf: Map<number, CommuneRow>;
  /** By commune id: the ids of its open incidents, the first being the latest. */
  openIncidents: Map<string, string[]>;
  errors: FieldError[];
}

/**
 * Whom each row is for. A manager (or its commune's integration token) posts for its own commune, and
 * naming another is refused (403). The region's coordinator posts on behalf of a commune of the region
 * that is in incident, named by `requestingCommuneId`: another region's commune is "not found" (404), a
 * commune not in incident is refused (409), and a row that names none is a field to correct.
 */
export async function postingScope(
  ctx: DomainContext,
  actor: Actor,
  rows: { row: number; input: TaskCreate }[],
): Promise<PostingScope> {
  const errors: FieldError[] = [];
  const wanted = new Map<number, string>();
  if (canPostTasks(actor)) {
    for (const { row, input } of rows) {
      if (input.requestingCommuneId && input.requestingCommuneId !== actor.communeId)
        throw new ForbiddenError(actor.integration ? tokenOwnCommuneOnly : ownCommuneOnly);
      wanted.set(row, actor.communeId);
    }
  } else if (canCoordinateTasks(actor)) {
    for (const { row, input } of rows) {
      if (input.requestingCommuneId) wanted.set(row, input.requestingCommuneId);
      else
        errors.push({
          row,
          field: 'requestingCommuneId',
          message: 'is required: choose the commune in incident you post this task for',
          code: 'required',
        });
    }
  } else {
    throw new ForbiddenError(onlyManagersPost);
  }
  const communes = new Map<string, CommuneRow>();
  for (const id of new Set(wanted.values())) {
    const commune = await findCommune(ctx.db, id);
    if (!commune || commune.regionId !== actor.regionId) throw new NotFoundError('commune');
    if (!canPostTasks(actor) && commune.status !== 'incident')
      throw new ConflictError(msg('commune_not_in_incident', { commune: commune.name }), 'commune_not_in_incident');
    communes.set(id, commune);
  }
  const openIncidents = new Map<string, string[]>();
  for (const id of communes.keys()) {
    const incidents = await listIncidents(ctx.db, { communeId: id });
    openIncidents.set(
      id,
      incidents.filter((i) => i.status !== 'closed').map((i) => i.id),
    );
  }
  const communeOf = new Map<number, CommuneRow>();
  for (const [row, id] of wanted) {
    const commune = communes.get(id);
    if (commune) communeOf.set(row, commune);
  }
  return { communeOf, openIncidents, errors };
}
