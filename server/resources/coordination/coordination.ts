import {
  coordinationSettingNames,
  coordinationSettings,
  type CoordinationSetting,
  type RegionSettings,
  type RegionSettingsChange,
  type RegionSettingsUpdate,
} from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { NotFoundError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { appendAudit, byActor } from '../../db/audit';
import type { Executor } from '../../db/client';
import { transaction } from '../../db/client';
import { canChangeRegionSettings, canReadRegionSettings } from './coordination-policy';
import {
  coordinationChanges,
  findCoordinationSettings,
  lockCoordinationSettings,
  setCoordinationSettings,
  type OwnCoordinationSettings,
} from './coordination-repo';
import { msg } from '../../core/messages';

export const onlyCoordinatorsChange = msg('only_coordinators_change_settings');
export const onlyRegionMembersRead = msg('only_region_members_read_settings');

/** The settings in force: the region's own, or the platform's defaults. */
export type CoordinationValues = Record<CoordinationSetting, number>;

export function inForce(own: OwnCoordinationSettings): CoordinationValues {
  const values = {} as CoordinationValues;
  for (const name of coordinationSettingNames) values[name] = own[name] ?? coordinationSettings[name].default;
  return values;
}

/** The coordination settings in force in a region (the jobs and the rules read them here). */
export async function coordinationOf(db: Executor, regionId: string): Promise<CoordinationValues> {
  return inForce(await findCoordinationSettings(db, regionId));
}

const HISTORY = 20;

function presentChange(row: Awaited<ReturnType<typeof coordinationChanges>>[number]): RegionSettingsChange {
  const { changes } = row.detail as { changes?: RegionSettingsChange['changes'] };
  return { at: row.at.toISOString(), byUserId: row.byUserId, byName: row.byName, changes: changes ?? [] };
}

export async function regionSettingsFor(ctx: DomainContext, actor: Actor, regionId: string): Promise<RegionSettings> {
  if (!canReadRegionSettings(actor, regionId)) throw new NotFoundError('region');
  const canChange = canChangeRegionSettings(actor, regionId);
  const [own, history] = await Promise.all([
    findCoordinationSettings(ctx.db, regionId),
    canChange ? coordinationChanges(ctx.db, regionId, HISTORY) : Promise.resolve([]),
  ]);
  return {
    regionId,
    ...inForce(own),
    regional: coordinationSettingNames.filter((name) => own[name] !== null),
    canChange,
    history: history.map(presentChange),
  };
}

/**
 * The coordinator changes the settings given (null: back to the default), all together, with an
 * audit entry that says each change from what to what. A change that changes nothing records nothing.
 */
export async function changeRegionSettings(
  ctx: DomainContext,
  actor: Actor,
  regionId: string,
  input: RegionSettingsUpdate,
): Promise<RegionSettings> {
  if (!canChangeRegionSettings(actor, regionId)) throw new NotFoundError('region');
  const given = coordinationSettingNames.filter((name) => input[name] !== undefined);
  if (given.length > 0) {
    await transaction(ctx.db, async (tx) => {
      const before = await lockCoordinationSettings(tx, regionId);
      const changes = given.flatMap((setting) => {
        const to = input[setting] ?? null;
        return before[setting] === to ? [] : [{ setting, from: before[setting], to }];
      });
      if (changes.length === 0) return;
      await setCoordinationSettings(tx, regionId, Object.fromEntries(changes.map((c) => [c.setting, c.to])), actor.id);
      await appendAudit(
        tx,
        byActor(actor, { kind: 'settings_changed', regionId, detail: { area: 'coordination', changes } }),
      );
    });
  }
  return regionSettingsFor(ctx, actor, regionId);
}
