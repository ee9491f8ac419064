import type { Commune, CommuneCreate, CommuneLoad, Region, TaskType, TaskTypeCreate } from '../../shared/schemas';
import {
  findCommune,
  findRegion,
  insertCommune,
  insertRegion,
  insertTaskType,
  listCommunes,
  listRegions,
  listTaskTypes,
} from '../db/geography-repo';
import { communeLoads, type LoadRow } from '../db/tasks-repo';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { canAdminister, canFollowRegion, canViewRegion } from '../policies/commune-policy';
import { presentCommune } from '../presenters/incident';
import type { Actor } from './actor';
import type { DomainContext } from './context';

export async function listCommunesFor(ctx: DomainContext, actor: Actor): Promise<{ items: Commune[] }> {
  if (actor.role === 'admin' && canAdminister(actor))
    return { items: (await listCommunes(ctx.db)).map(presentCommune) };
  if (!actor.regionId || !canViewRegion(actor, actor.regionId)) throw new ForbiddenError();
  return { items: (await listCommunes(ctx.db, actor.regionId)).map(presentCommune) };
}

function presentLoad(row: LoadRow): CommuneLoad {
  return {
    communeId: row.communeId,
    posted: {
      open: row.postedOpen,
      claimed: row.postedClaimed,
      inProgress: row.postedInProgress,
      overdue: row.postedOverdue,
      doneToday: row.postedDoneToday,
    },
    held: {
      claimed: row.heldClaimed,
      inProgress: row.heldInProgress,
      overdue: row.heldOverdue,
      doneToday: row.heldDoneToday,
    },
    throughput24h: row.throughput24h,
    at: new Date().toISOString(),
  };
}

export async function communeLoad(ctx: DomainContext, actor: Actor, communeId: string): Promise<CommuneLoad> {
  const commune = await findCommune(ctx.db, communeId);
  if (!commune || !canFollowRegion(actor) || actor.regionId !== commune.regionId) throw new NotFoundError('commune');
  const [row] = await communeLoads(ctx.db, { regionId: commune.regionId, communeId });
  if (!row) throw new NotFoundError('commune');
  return presentLoad(row);
}

/** Every commune's load in the actor's region, for the coordinator's dashboard and the board. */
export async function regionLoad(ctx: DomainContext, actor: Actor): Promise<{ items: CommuneLoad[] }> {
  if (!canFollowRegion(actor)) throw new ForbiddenError('Loads are shown to the people of a region.');
  return { items: await loadsOfRegion(ctx, actor.regionId) };
}

/** For the live board, which sends them to the region's room: only its members are in it. */
export async function loadsOfRegion(ctx: DomainContext, regionId: string): Promise<CommuneLoad[]> {
  return (await communeLoads(ctx.db, { regionId })).map(presentLoad);
}

export async function listTaskTypesFor(ctx: DomainContext): Promise<{ items: TaskType[] }> {
  return { items: await listTaskTypes(ctx.db) };
}

function requireAdmin(actor: Actor) {
  if (!canAdminister(actor)) throw new ForbiddenError('Only the platform administrator can do this.');
}

export async function listRegionsFor(ctx: DomainContext, actor: Actor): Promise<{ items: Region[] }> {
  const regions = await listRegions(ctx.db);
  return { items: regions.filter((r) => canViewRegion(actor, r.id)) };
}

export async function createRegion(ctx: DomainContext, actor: Actor, name: string): Promise<Region> {
  requireAdmin(actor);
  const row = await insertRegion(ctx.db, name);
  if (!row) throw new ConflictError(`A region named ${name} exists already.`, 'duplicate');
  return row;
}

export async function createCommune(ctx: DomainContext, actor: Actor, input: CommuneCreate): Promise<Commune> {
  requireAdmin(actor);
  if (!(await findRegion(ctx.db, input.regionId))) {
    throw new ValidationError('The commune was not created.', [
      { field: 'regionId', message: 'is not a known region', code: 'invalid' },
    ]);
  }
  const row = await insertCommune(ctx.db, input);
  if (!row) throw new ConflictError(`A commune with code ${input.code} exists already.`, 'duplicate');
  return presentCommune(row);
}

export async function createTaskType(ctx: DomainContext, actor: Actor, input: TaskTypeCreate): Promise<TaskType> {
  requireAdmin(actor);
  const row = await insertTaskType(ctx.db, input);
  if (!row) throw new ConflictError(`A task type ${input.key} exists already.`, 'duplicate');
  return row;
}
