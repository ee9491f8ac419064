import { z } from 'zod';
import { Id } from './common';

export const CommuneStatus = z.enum(['normal', 'incident', 'recovering']);
export type CommuneStatus = z.infer<typeof CommuneStatus>;

export const Region = z.object({ id: Id, name: z.string() }).meta({ id: 'Region' });
export type Region = z.infer<typeof Region>;

export const RegionCreate = z
  .strictObject({
    name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200),
  })
  .meta({ id: 'RegionCreate' });
export type RegionCreate = z.infer<typeof RegionCreate>;

/** Renaming a region (admin). */
export const RegionUpdate = RegionCreate.meta({ id: 'RegionUpdate' });
export type RegionUpdate = z.infer<typeof RegionUpdate>;

export const RegionList = z.object({ items: z.array(Region) }).meta({ id: 'RegionList' });
export type RegionList = z.infer<typeof RegionList>;

export const Commune = z
  .object({
    id: Id,
    name: z.string(),
    code: z.string(),
    regionId: Id,
    latitude: z.number(),
    longitude: z.number(),
    status: CommuneStatus,
    /** The three letters its tasks' codes begin with (`LIE-7K3Q9`). */
    taskCodePrefix: z.string(),
  })
  .meta({ id: 'Commune' });
export type Commune = z.infer<typeof Commune>;

const CommuneFields = {
  name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200),
  /** Belgian NIS/INS codes are five digits; French INSEE codes five characters (2A004). */
  code: z
    .string({ error: 'is required' })
    .trim()
    .toUpperCase()
    .regex(/^[0-9A-Z]{5}$/, 'must be a 5-character NIS or INSEE code, e.g. 62063'),
  regionId: Id,
  latitude: z
    .number({ error: 'must be a number' })
    .min(-90, 'must be from -90 to 90')
    .max(90, 'must be from -90 to 90'),
  longitude: z
    .number({ error: 'must be a number' })
    .min(-180, 'must be from -180 to 180')
    .max(180, 'must be from -180 to 180'),
};

export const CommuneCreate = z
  .strictObject({
    ...CommuneFields,
    /** Chosen from the name when not given (the first three letters, or the first free alternative). */
    taskCodePrefix: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be three capital letters')
      .optional(),
  })
  .meta({ id: 'CommuneCreate' });
export type CommuneCreate = z.infer<typeof CommuneCreate>;

/** A commune's name, code, region or place (admin); only the fields given change. */
export const CommuneUpdate = z.strictObject(CommuneFields).partial().meta({ id: 'CommuneUpdate' });
export type CommuneUpdate = z.infer<typeof CommuneUpdate>;

export const CommuneList = z.object({ items: z.array(Commune) }).meta({ id: 'CommuneList' });
export type CommuneList = z.infer<typeof CommuneList>;

export const CommuneListQuery = z.strictObject({
  /** One region's communes (the admin's filter); others see their own region only. */
  regionId: Id.optional(),
});
export type CommuneListQuery = z.infer<typeof CommuneListQuery>;

/** The work a commune has posted (backlog) and the work it holds for others. */
export const CommuneLoad = z
  .object({
    communeId: Id,
    posted: z.object({
      open: z.number().int(),
      claimed: z.number().int(),
      inProgress: z.number().int(),
      /** Waiting on this commune's answer to the holder's question. */
      waitingInfo: z.number().int(),
      overdue: z.number().int(),
      doneToday: z.number().int(),
    }),
    held: z.object({
      claimed: z.number().int(),
      inProgress: z.number().int(),
      /** Waiting on the requesting commune's answer to this commune's question. */
      waitingInfo: z.number().int(),
      overdue: z.number().int(),
      doneToday: z.number().int(),
    }),
    /** Tasks this commune completed for others in the last 24 hours. */
    throughput24h: z.number().int(),
    at: z.string(),
  })
  .meta({ id: 'CommuneLoad' });
export type CommuneLoad = z.infer<typeof CommuneLoad>;
