import { z } from 'zod';
import { Id } from './common';

export const IncidentKind = z.enum(['cyberattack', 'flood', 'fire', 'other'], {
  error: 'must be cyberattack, flood, fire or other',
});
export const IncidentStatus = z.enum(['active', 'recovering', 'closed'], {
  error: 'must be active, recovering or closed',
});
export type IncidentStatus = z.infer<typeof IncidentStatus>;
export const AffectedService = z.enum(['population', 'etat_civil', 'urbanisme', 'etrangers', 'cpas', 'other'], {
  error: 'must be population, etat_civil, urbanisme, etrangers, cpas or other',
});

export const IncidentAbilities = z
  .object({
    markRecovering: z.boolean(),
    close: z.boolean(),
  })
  .meta({ id: 'IncidentAbilities' });

export const Incident = z
  .object({
    id: Id,
    communeId: Id,
    kind: IncidentKind,
    title: z.string(),
    affectedServices: z.array(AffectedService),
    status: IncidentStatus,
    openedAt: z.string(),
    closedAt: z.string().nullable(),
    version: z.number().int(),
    /** What the signed-in user may do with it now: in REST answers, not in the live board's events. */
    abilities: IncidentAbilities.optional(),
  })
  .meta({ id: 'Incident' });
export type Incident = z.infer<typeof Incident>;

export const IncidentCreate = z
  .strictObject({
    communeId: Id.optional(),
    kind: IncidentKind,
    title: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200),
    affectedServices: z.array(AffectedService).max(6).default([]),
  })
  .meta({ id: 'IncidentCreate' });
export type IncidentCreate = z.infer<typeof IncidentCreate>;

export const IncidentUpdate = z
  .strictObject({
    version: z.number({ error: 'must be the whole number the incident showed' }).int().min(1).optional(),
    status: IncidentStatus.optional(),
    title: z.string().trim().min(1, 'is required').max(200).optional(),
    affectedServices: z.array(AffectedService).max(6).optional(),
  })
  .meta({ id: 'IncidentUpdate' });
export type IncidentUpdate = z.infer<typeof IncidentUpdate>;

export const IncidentListQuery = z.strictObject({
  status: IncidentStatus.optional(),
  commune: Id.optional(),
});
