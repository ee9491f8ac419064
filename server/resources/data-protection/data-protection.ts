import type { DataProtectionSettings, DataProtectionUpdate, FieldError } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { appendAudit, byActor } from '../../db/audit';
import { transaction } from '../../db/client';
import type { Job } from '../../jobs/scheduler';
import { canGovernRegion } from './data-protection-policy';
import {
  dropRegionalLegalBasis,
  eraseExpiredCitizenData,
  findRegionSettings,
  knownTaskTypes,
  legalBasesOfRegion,
  setRegionalLegalBasis,
  setRetentionDays,
} from './data-protection-repo';
import { msg } from '../../core/messages';

export const onlyDpos = msg('only_dpos');

export async function dataProtectionSettings(
  ctx: DomainContext,
  actor: Actor,
  regionId: string,
): Promise<DataProtectionSettings> {
  if (!canGovernRegion(actor, regionId)) throw new NotFoundError('region');
  const [settings, legalBases] = await Promise.all([
    findRegionSettings(ctx.db, regionId),
    legalBasesOfRegion(ctx.db, regionId),
  ]);
  const own = settings?.citizenRetentionDays ?? null;
  return {
    regionId,
    citizenRetentionDays: own ?? ctx.citizenRetentionDays,
    defaultRetentionDays: ctx.citizenRetentionDays,
    regional: own !== null,
    legalBases,
  };
}

/** Which legal bases of a change are not worded in both languages, or name no task type. */
async function legalBasisErrors(ctx: DomainContext, input: DataProtectionUpdate): Promise<FieldError[]> {
  const bases = input.legalBases ?? [];
  const known = await knownTaskTypes(
    ctx.db,
    bases.map((b) => b.taskType),
  );
  return bases.flatMap((b, i): FieldError[] => {
    if (!known.has(b.taskType)) {
      return [{ field: `legalBases.${i}.taskType`, message: 'is not a known task type', code: 'unknown_task_type' }];
    }
    if ((b.fr === undefined) !== (b.en === undefined)) {
      const missing = b.fr === undefined ? 'fr' : 'en';
      return [
        { field: `legalBases.${i}.${missing}`, message: 'is required with the other language', code: 'required' },
      ];
    }
    return [];
  });
}

/** The DPO sets the region's retention and its wording of legal bases; all of it or nothing, recorded. */
export async function changeDataProtection(
  ctx: DomainContext,
  actor: Actor,
  regionId: string,
  input: DataProtectionUpdate,
): Promise<DataProtectionSettings> {
  if (!canGovernRegion(actor, regionId)) throw new NotFoundError('region');
  const errors = await legalBasisErrors(ctx, input);
  if (errors.length > 0) throw new ValidationError(msg('settings_not_changed'), errors);
  await transaction(ctx.db, async (tx) => {
    if (input.citizenRetentionDays !== undefined) {
      await setRetentionDays(tx, regionId, input.citizenRetentionDays, actor.id);
    }
    for (const b of input.legalBases ?? []) {
      if (b.fr !== undefined && b.en !== undefined) {
        await setRegionalLegalBasis(tx, { regionId, taskType: b.taskType, fr: b.fr, en: b.en, by: actor.id });
      } else {
        await dropRegionalLegalBasis(tx, regionId, b.taskType);
      }
    }
    await appendAudit(
      tx,
      byActor(actor, {
        kind: 'settings_changed',
        regionId,
        detail: {
          ...(input.citizenRetentionDays !== undefined ? { citizenRetentionDays: input.citizenRetentionDays } : {}),
          ...(input.legalBases ? { legalBases: input.legalBases.map((b) => b.taskType) } : {}),
        },
      }),
    );
  });
  return dataProtectionSettings(ctx, actor, regionId);
}

/**
 * Erases, every hour, the citizen data of the tasks finished longer ago than their region keeps it
 * (CITIZEN_RETENTION_DAYS by default), a thousand at a time until none is left.
 */
export function retentionJob(ctx: DomainContext): Job {
  return {
    name: 'citizen-retention',
    everyMs: 3_600_000,
    async run(tx, now) {
      let erased = 0;
      for (;;) {
        const n = await eraseExpiredCitizenData(tx, now, ctx.citizenRetentionDays);
        erased += n;
        if (n < 1000) return { erased };
      }
    },
  };
}
