import type {
  Commune,
  CommuneCreate,
  CommuneListQuery,
  CommuneLoad,
  CommuneUpdate,
  FieldError,
  Region,
} from '../../../shared/schemas';
import { isAdmin, isRegionMember, type Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { isUniqueViolation, transaction } from '../../db/client';
import { announceSessionChange } from '../auth/sessions-repo';
import { canViewRegion } from './communes-policy';
import { presentCommune, presentLoad } from './communes-presenter';
import {
  communeHasOpenWork,
  findCommune,
  findRegion,
  insertCommune,
  insertRegion,
  listCommunes,
  listRegions,
  renameRegion,
  updateCommune,
  userIdsOfCommune,
} from './communes-repo';
import { communeLoads } from './loads-repo';
import { msg } from '../../core/messages';

export const onlyRegionMembersSeeLoads = msg('only_region_members_see_loads');

/**
 * The communes of the actor's region; every commune for the admin, or one region's with `regionId`.
 * Another region's id answers 404 to anyone else, as an unknown one does.
 */
export async function listCommunesFor(
  ctx: DomainContext,
  actor: Actor,
  query: CommuneListQuery = {},
): Promise<{ items: Commune[] }> {
  if (query.regionId !== undefined) {
    if (!canViewRegion(actor, query.regionId) || !(await findRegion(ctx.db, query.regionId)))
      throw new NotFoundError('region');
    return { items: (await listCommunes(ctx.db, query.regionId)).map(presentCommune) };
  }
  if (isAdmin(actor)) return { items: (await listCommunes(ctx.db)).map(presentCommune) };
  if (!actor.regionId || !canViewRegion(actor, actor.regionId)) throw new ForbiddenError();
  return { items: (await listCommunes(ctx.db, actor.regionId)).map(presentCommune) };
}

export async function communeLoad(ctx: DomainContext, actor: Actor, communeId: string): Promise<CommuneLoad> {
  const commune = await findCommune(ctx.db, communeId);
  if (!commune || !isRegionMember(actor) || actor.regionId !== commune.regionId) throw new NotFoundError('commune');
  const [row] = await communeLoads(ctx.db, { regionId: commune.regionId, communeId });
  if (!row) throw new NotFoundError('commune');
  return presentLoad(row);
}

/** Every commune's load in the actor's region, for the coordinator's dashboard and the board. */
export async function regionLoad(ctx: DomainContext, actor: Actor): Promise<{ items: CommuneLoad[] }> {
  if (!isRegionMember(actor)) throw new ForbiddenError(onlyRegionMembersSeeLoads);
  return { items: await loadsOfRegion(ctx, actor.regionId) };
}

/** For the live board, which sends them to the region's room: only its members are in it. */
export async function loadsOfRegion(ctx: DomainContext, regionId: string): Promise<CommuneLoad[]> {
  return (await communeLoads(ctx.db, { regionId })).map(presentLoad);
}

export async function listRegionsFor(ctx: DomainContext, actor: Actor): Promise<{ items: Region[] }> {
  const regions = await listRegions(ctx.db);
  return { items: regions.filter((r) => canViewRegion(actor, r.id)) };
}

/** The admin's (endpoint permission). */
export async function createRegion(ctx: DomainContext, name: string): Promise<Region> {
  const row = await insertRegion(ctx.db, name);
  if (!row) throw new ConflictError(msg('region_exists', { name }), 'duplicate');
  return row;
}

/** The admin's (endpoint permission). */
export async function renameRegionTo(ctx: DomainContext, id: string, name: string): Promise<Region> {
  const row = await renameRegion(ctx.db, id, name);
  if (row === 'taken') throw new ConflictError(msg('region_exists', { name }), 'duplicate');
  if (!row) throw new NotFoundError('region');
  return row;
}

const unknownRegion: FieldError = { field: 'regionId', message: 'is not a known region', code: 'invalid' };
const codeTaken = (code: string) => new ConflictError(msg('commune_exists', { code }), 'duplicate');

/** The admin's (endpoint permission). */
export async function createCommune(ctx: DomainContext, input: CommuneCreate): Promise<Commune> {
  if (!(await findRegion(ctx.db, input.regionId))) {
    throw new ValidationError(msg('commune_not_created'), [unknownRegion]);
  }
  const row = await insertCommune(ctx.db, input);
  if (!row) {
    throw new ConflictError(msg('commune_exists', { code: input.code, prefix: input.taskCodePrefix }), 'duplicate');
  }
  return presentCommune(row);
}

/**
 * The admin's (endpoint permission). A commune moves to another region only with no work under way
 * (its tasks stay in the region they were posted in); its people's sessions then read their new
 * region, and their live connections, which joined the old region's room, end.
 */
export async function changeCommune(ctx: DomainContext, id: string, input: CommuneUpdate): Promise<Commune> {
  const current = await findCommune(ctx.db, id);
  if (!current) throw new NotFoundError('commune');
  const moved = input.regionId !== undefined && input.regionId !== current.regionId;
  if (moved && input.regionId && !(await findRegion(ctx.db, input.regionId)))
    throw new ValidationError(msg('commune_not_changed'), [unknownRegion]);
  if (moved && (await communeHasOpenWork(ctx.db, id)))
    throw new ConflictError(
      'This commune has tasks or an incident under way: it can move to another region once they are finished.',
      'commune_busy',
    );
  let people: string[] = [];
  const row = await transaction(ctx.db, async (tx) => {
    const changed = await updateCommune(tx, id, input);
    if (moved) {
      people = await userIdsOfCommune(tx, id);
      for (const userId of people) await announceSessionChange(tx, { userId });
    }
    return changed;
  }).catch((err: unknown) => {
    if (isUniqueViolation(err)) throw codeTaken(input.code ?? '');
    throw err;
  });
  if (!row) throw new NotFoundError('commune');
  for (const userId of people) ctx.hooks.accountChanged(userId, true);
  return presentCommune(row);
}
