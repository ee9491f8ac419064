import { z } from 'zod';
import { Id, Incident, IncidentCreate, IncidentListQuery, IncidentUpdate } from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import {
  declareIncident,
  listIncidentsFor,
  onlyManagersChange,
  onlyManagersDeclare,
  updateIncident,
} from './incidents';
import { canManageIncidents } from './incidents-policy';

const tag = 'incidents';
const IncidentParams = z.object({ id: Id.describe('incident id') });

export const incidentsEndpoints = [
  endpoint({
    method: 'get',
    path: '/incidents',
    tag,
    summary: 'Incidents of your region (admin: all)',
    permission: permission.signedIn,
    query: IncidentListQuery,
    responses: { 200: { description: 'The incidents, latest first', schema: z.object({ items: z.array(Incident) }) } },
    handle: ({ ctx, actor, query }) => listIncidentsFor(ctx, actor, query),
  }),

  endpoint({
    method: 'post',
    path: '/incidents',
    tag,
    summary: 'Declare an incident (manager for their commune, coordinator for a commune of the region)',
    permission: permission.policy(canManageIncidents, onlyManagersDeclare),
    body: IncidentCreate,
    responses: { 201: { description: 'Declared', schema: Incident } },
    problems: { 404: 'No such commune in your region', 409: 'The commune has an open incident already' },
    handle: ({ ctx, actor, body }) => declareIncident(ctx, actor, body),
  }),

  endpoint({
    method: 'patch',
    path: '/incidents/:id',
    tag,
    summary: 'Update or close an incident',
    permission: permission.policy(canManageIncidents, onlyManagersChange),
    params: IncidentParams,
    body: IncidentUpdate,
    responses: { 200: { description: 'The incident as it is now', schema: Incident } },
    problems: { 409: 'Stale version or impossible change' },
    handle: ({ ctx, actor, params, body }) => updateIncident(ctx, actor, params.id, body),
  }),
];
