import type { Commune, CommuneCreate, CommuneLoad, Region } from '../../../shared/schemas';
import { isAdmin, isRegionMember, type Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { canViewRegion } from './communes-policy';
import { presentCommune, presentLoad } from './communes-presenter';
import { findCommune, findRegion, insertCommune, insertRegion, listCommunes, listRegions } from './communes-repo';
import { communeLoads } from './loads-repo';

export const onlyRegionMembersSeeLoads = 'Loads are shown to the people of a region.';

/** The communes of the actor's region; every commune for the admin. */
export async function listCommunesFor(ctx: DomainContext, actor: Actor): Promise<{ items: Commune[] }> {
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
  if (!row) throw new ConflictError(`A region named ${name} exists already.`, 'duplicate');
  return row;
}

/** The admin's (endpoint permission). */
export async function createCommune(ctx: DomainContext, input: CommuneCreate): Promise<Commune> {
  if (!(await findRegion(ctx.db, input.regionId))) {
    throw new ValidationError('The commune was not created.', [
      { field: 'regionId', message: 'is not a known region', code: 'invalid' },
    ]);
  }
  const row = await insertCommune(ctx.db, input);
  if (!row) {
    const what = input.taskCodePrefix ? ` or with task code prefix ${input.taskCodePrefix}` : '';
    throw new ConflictError(`A commune with code ${input.code}${what} exists already.`, 'duplicate');
  }
  return presentCommune(row);
}
