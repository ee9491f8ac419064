import { z } from 'zod';
import { Id, IsoDateTime } from './common';

/**
 * The coordination settings of a region, as its coordinator sets them: the bounds of each (which the
 * database holds too, as CHECK constraints) and its value where the region sets none.
 */
export const coordinationSettings = {
  maxActiveClaimsPerCommune: { min: 1, max: 10_000, default: 50 },
  transferTimeoutMinutes: { min: 5, max: 10_080, default: 120 },
  staleClaimHours: { min: 1, max: 720, default: 24 },
  remindAfterHours: { min: 1, max: 720, default: 4 },
} as const;
export type CoordinationSetting = keyof typeof coordinationSettings;
export const coordinationSettingNames = Object.keys(coordinationSettings) as CoordinationSetting[];

const unit: Record<CoordinationSetting, string> = {
  maxActiveClaimsPerCommune: 'claims',
  transferTimeoutMinutes: 'minutes',
  staleClaimHours: 'hours',
  remindAfterHours: 'hours',
};

/** The message of a value out of its bounds: the same on the server and in the form. */
export function settingBoundsMessage(name: CoordinationSetting): string {
  const { min, max } = coordinationSettings[name];
  return `must be a whole number of ${unit[name]} from ${min} to ${max}`;
}

const bounded = (name: CoordinationSetting) => {
  const message = settingBoundsMessage(name);
  const { min, max } = coordinationSettings[name];
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
};

/** One change of the settings, as the region's history keeps it. */
export const RegionSettingsChange = z
  .object({
    at: IsoDateTime,
    byUserId: Id.nullable(),
    byName: z.string().nullable(),
    /** Each setting changed, from what to what (null: the platform's default). */
    changes: z.array(
      z.object({
        setting: z.enum(coordinationSettingNames as [CoordinationSetting, ...CoordinationSetting[]]),
        from: z.number().int().nullable(),
        to: z.number().int().nullable(),
      }),
    ),
  })
  .meta({ id: 'RegionSettingsChange' });
export type RegionSettingsChange = z.infer<typeof RegionSettingsChange>;

/** A region's coordination settings: the values in force, which of them the region set, and their history. */
export const RegionSettings = z
  .object({
    regionId: Id,
    maxActiveClaimsPerCommune: z.number().int(),
    transferTimeoutMinutes: z.number().int(),
    staleClaimHours: z.number().int(),
    remindAfterHours: z.number().int(),
    /** The settings the region set itself; the others are the platform's defaults. */
    regional: z.array(z.enum(coordinationSettingNames as [CoordinationSetting, ...CoordinationSetting[]])),
    /** Whether the caller may change them (the region's coordinator). */
    canChange: z.boolean(),
    /** The latest changes first (at most 20). */
    history: z.array(RegionSettingsChange),
  })
  .meta({ id: 'RegionSettings' });
export type RegionSettings = z.infer<typeof RegionSettings>;

/** A change of the settings: each one given is set (null goes back to the default), the others stay. */
export const RegionSettingsUpdate = z
  .strictObject({
    maxActiveClaimsPerCommune: bounded('maxActiveClaimsPerCommune').nullable().optional(),
    transferTimeoutMinutes: bounded('transferTimeoutMinutes').nullable().optional(),
    staleClaimHours: bounded('staleClaimHours').nullable().optional(),
    remindAfterHours: bounded('remindAfterHours').nullable().optional(),
  })
  .meta({ id: 'RegionSettingsUpdate' });
export type RegionSettingsUpdate = z.infer<typeof RegionSettingsUpdate>;
