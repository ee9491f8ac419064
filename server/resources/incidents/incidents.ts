import type { Incident, IncidentCreate, IncidentStatus, IncidentUpdate } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { transaction } from '../../db/client';
import { eventMeta } from '../../db/events';
import { findCommune, refreshCommuneStatus } from '../communes/communes-repo';
import { canBecome, canManageIncident, canViewIncident } from './incidents-policy';
import { presentIncidentFor } from './incidents-presenter';
import { findIncident, insertIncident, listIncidents, updateIncidentIf } from './incidents-repo';
import { msg } from '../../core/messages';

export const onlyManagersDeclare = msg('only_managers_declare');
export const onlyManagersChange = msg('only_managers_change_incident');

export async function declareIncident(ctx: DomainContext, actor: Actor, input: IncidentCreate): Promise<Incident> {
  const communeId = input.communeId ?? actor.communeId;
  if (!communeId) {
    throw new ValidationError(msg('incident_commune_required'), [
      { field: 'communeId', message: 'is required for a coordinator', code: 'required' },
    ]);
  }
  const commune = await findCommune(ctx.db, communeId);
  if (!commune || !canViewIncident(actor, { communeId, regionId: commune.regionId }))
    throw new NotFoundError('commune');
  if (!canManageIncident(actor, { communeId, regionId: commune.regionId })) {
    throw new ForbiddenError(onlyManagersDeclare);
  }
  // The incident, its event and its commune's status commit together.
  const row = await transaction(ctx.db, async (tx) => {
    const inserted = await insertIncident(
      tx,
      { communeId, kind: input.kind, title: input.title, affectedServices: input.affectedServices, openedBy: actor.id },
      eventMeta(actor, 'declare', null),
    );
    if (inserted) await refreshCommuneStatus(tx, communeId);
    return inserted;
  });
  if (!row) throw new ConflictError(msg('incident_open', { commune: commune.name }), 'incident_open');
  ctx.sequencer.kick();
  return presentIncidentFor(actor, row, commune.regionId);
}

export async function updateIncident(
  ctx: DomainContext,
  actor: Actor,
  id: string,
  input: IncidentUpdate,
): Promise<Incident> {
  const current = await findIncident(ctx.db, id);
  if (!current || !canViewIncident(actor, current)) throw new NotFoundError('incident');
  if (!canManageIncident(actor, current)) throw new ForbiddenError(onlyManagersChange);
  const stale = () =>
    new ConflictError(msg('incident_stale'), 'stale_version', presentIncidentFor(actor, current, current.regionId));
  if (input.version !== undefined && input.version !== current.version) throw stale();
  if (input.status && !canBecome(current.status, input.status)) {
    throw new ConflictError(
      msg('incident_transition', { from: current.status, to: input.status }),
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
      eventMeta(actor, input.status === 'closed' ? 'close' : 'update', current.status),
    );
    if (updated) await refreshCommuneStatus(tx, updated.communeId);
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
