import { z } from 'zod';
import { Id } from './common';
import { freeText } from './tasks';

/** The size of a drill's scripted wave, and its planned length in minutes. */
export const drillLimits = {
  nameMax: 120,
  tasksMin: 1,
  tasksMax: 500,
  durationMin: 5,
  durationMax: 7 * 24 * 60,
  durationDefault: 120,
} as const;

/** Starting a rehearsal of the region: a name, how many made-up tasks to post, how long it should last. */
export const DrillCreate = z
  .strictObject({
    name: freeText(
      z
        .string({ error: 'is required' })
        .trim()
        .min(1, 'is required')
        .max(drillLimits.nameMax, `must be at most ${drillLimits.nameMax} characters`),
    ),
    tasks: z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(drillLimits.tasksMin, `must be at least ${drillLimits.tasksMin}`)
      .max(drillLimits.tasksMax, `must be at most ${drillLimits.tasksMax}`),
    durationMinutes: z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(drillLimits.durationMin, `must be at least ${drillLimits.durationMin}`)
      .max(drillLimits.durationMax, `must be at most ${drillLimits.durationMax}`)
      .default(drillLimits.durationDefault),
  })
  .meta({ id: 'DrillCreate' });
export type DrillCreate = z.infer<typeof DrillCreate>;
export type DrillCreateInput = z.input<typeof DrillCreate>;

/** What one commune did in the drill. */
export const DrillCommuneFigures = z.object({ communeId: Id, communeName: z.string(), n: z.number().int() });

/** The figures of a drill, computed when it ends and kept with it. */
export const DrillReport = z
  .object({
    tasksPosted: z.number().int(),
    /** Seconds from the start to the first claim; null if nothing was claimed. */
    secondsToFirstClaim: z.number().int().nullable(),
    claimsPerCommune: z.array(DrillCommuneFigures),
    donePerCommune: z.array(DrillCommuneFigures),
    doneTotal: z.number().int(),
    /** Tasks past their due date and not done when the drill ended. */
    overdueAtEnd: z.number().int(),
  })
  .meta({ id: 'DrillReport' });
export type DrillReport = z.infer<typeof DrillReport>;

export const Drill = z
  .object({
    id: Id,
    regionId: Id,
    name: z.string(),
    status: z.enum(['running', 'ended']),
    tasksPosted: z.number().int(),
    durationMinutes: z.number().int(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    /** The report, once the drill has ended. */
    report: DrillReport.nullable(),
  })
  .meta({ id: 'Drill' });
export type Drill = z.infer<typeof Drill>;

/** The region's running drill (everyone of the region) and, for the coordinator, the ended ones, newest first. */
export const DrillList = z
  .object({ running: Drill.nullable(), items: z.array(Drill), nextCursor: z.null() })
  .meta({ id: 'DrillList' });
export type DrillList = z.infer<typeof DrillList>;

/** Ending says nothing more: the drill is what ends. */
export const DrillEnd = z.strictObject({}).meta({ id: 'DrillEnd' });
