import type { Incident, IncidentCreate, IncidentStatus, IncidentUpdate } from '../../shared/schemas';
import { transaction, type Tx } from '../db/client';
import { appendEvent } from '../db/events-repo';
import { findCommune, refreshCommuneStatus } from '../db/geography-repo';
import { findIncident, insertIncident, listIncidents, updateIncidentIf } from '../db/incidents-repo';
import type { IncidentRow } from '../db/schema';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { canManageIncident, canViewIncident } from '../policies/incident-policy';
import { presentIncident, presentIncidentFor } from '../presenters/incident';
import type { Actor } from './actor';
import type { DomainContext } from './context';

async function incidentEvent(
  tx: Tx,
  actor: Actor,
  row: IncidentRow,
  regionId: string,
  action: string,
  fromStatus: string | null,
) {
  await refreshCommuneStatus(tx, row.communeId);
  await appendEvent(tx, {
    subject: { incidentId: row.id },
    regionId,
    type: 'incident:updated',
    action,
    actorUserId: actor.id,
    actorCommuneId: actor.communeId,
    fromStatus,
    toStatus: row.status,
    note: null,
    snapshot: presentIncident(row),
  });
}

export async function declareIncident(ctx: DomainContext, actor: Actor, input: IncidentCreate): Promise<Incident> {
  const communeId = input.communeId ?? actor.communeId;
  if (!communeId) {
    throw new ValidationError('Say which commune the incident strikes.', [
      { field: 'communeId', message: 'is required for a coordinator', code: 'required' },
    ]);
  }
  const commune = await findCommune(ctx.db, communeId);
  if (!commune || !canViewIncident(actor, { communeId, regionId: commune.regionId }))
    throw new NotFoundError('commune');
  if (!canManageIncident(actor, { communeId, regionId: commune.regionId })) {
    throw new ForbiddenError("Only the commune's manager or the region's coordinator can declare an incident.");
  }
  const row = await transaction(ctx.db, async (tx) => {
    const inserted = await insertIncident(tx, {
      communeId,
      kind: input.kind,
      title: input.title,
      affectedServices: input.affectedServices,
      openedBy: actor.id,
    });
    if (inserted) await incidentEvent(tx, actor, inserted, commune.regionId, 'declare', null);
    return inserted;
  });
  if (!row)
    throw new ConflictError(`${commune.name} already has an open incident: update that one instead.`, 'incident_open');
  ctx.sequencer.kick();
  return presentIncidentFor(actor, row, commune.regionId);
}

const next: Record<IncidentStatus, readonly IncidentStatus[]> = {
  active: ['active', 'recovering', 'closed'],
  recovering: ['recovering', 'active', 'closed'],
  closed: [],
};

export async function updateIncident(
  ctx: DomainContext,
  actor: Actor,
  id: string,
  input: IncidentUpdate,
): Promise<Incident> {
  const current = await findIncident(ctx.db, id);
  if (!current || !canViewIncident(actor, current)) throw new NotFoundError('incident');
  if (!canManageIncident(actor, current))
    throw new ForbiddenError("Only the commune's manager or the region's coordinator can change this incident.");
  const stale = () =>
    new ConflictError(
      'Someone changed this incident meanwhile. Here it is as it is now.',
      'stale_version',
      presentIncidentFor(actor, current, current.regionId),
    );
  if (input.version !== undefined && input.version !== current.version) throw stale();
  if (input.status && !next[current.status].includes(input.status)) {
    throw new ConflictError(
      `This incident is ${current.status}: it cannot become ${input.status}.`,
      'invalid_transition',
      presentIncidentFor(actor, current, current.regionId),
    );
  }
  const row = await transaction(ctx.db, async (tx) => {
    const updated = await updateIncidentIf(
      tx,
      { id, version: current.version },
      {
        status: input.status,
        title: input.title,
        affectedServices: input.affectedServices,
        closedAt: input.status === 'closed' ? new Date() : undefined,
      },
    );
    if (updated)
      await incidentEvent(
        tx,
        actor,
        updated,
        current.regionId,
        input.status === 'closed' ? 'close' : 'update',
        current.status,
      );
    return updated;
  });
  if (!row) throw stale();
  ctx.sequencer.kick();
  return presentIncidentFor(actor, row, current.regionId);
}

export async function listIncidentsFor(
  ctx: DomainContext,
  actor: Actor,
  query: { status?: IncidentStatus; commune?: string },
): Promise<{ items: Incident[] }> {
  if (actor.role !== 'admin' && !actor.regionId) throw new ForbiddenError();
  const rows = await listIncidents(ctx.db, {
    regionId: actor.role === 'admin' ? undefined : (actor.regionId ?? undefined),
    communeId: query.commune,
    status: query.status,
  });
  return { items: rows.filter((r) => canViewIncident(actor, r)).map((r) => presentIncidentFor(actor, r, r.regionId)) };
}
