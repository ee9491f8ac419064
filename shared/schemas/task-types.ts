import { z } from 'zod';

export const TaskCategory = z.enum(['document', 'appointment', 'other'], {
  error: 'must be document, appointment or other',
});

export const TaskTypeKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be lower-case letters, digits and underscores');

export const TaskType = z
  .object({
    key: TaskTypeKey,
    labelFr: z.string(),
    labelEn: z.string(),
    category: TaskCategory,
    slaHours: z.number().int(),
    /** Why citizen data may be processed for it (GDPR art. 6), in French and English. */
    legalBasisFr: z.string(),
    legalBasisEn: z.string(),
  })
  .meta({ id: 'TaskType' });
export type TaskType = z.infer<typeof TaskType>;

const Label = z.string({ error: 'is required' }).trim().min(1, 'is required').max(200);
const slaHoursMax = 24 * 90;
const slaHoursRange = `must be a whole number of hours from 1 to ${slaHoursMax} (90 days)`;
const SlaHours = z
  .number({ error: 'must be a whole number of hours' })
  .int(slaHoursRange)
  .min(1, slaHoursRange)
  .max(slaHoursMax, slaHoursRange);
export const LegalBasisText = z.string({ error: 'must be text' }).trim().max(1000);

export const TaskTypeCreate = z
  .strictObject({
    key: TaskTypeKey,
    labelFr: Label,
    labelEn: Label,
    category: TaskCategory,
    slaHours: SlaHours,
    legalBasisFr: LegalBasisText.default(''),
    legalBasisEn: LegalBasisText.default(''),
  })
  .meta({ id: 'TaskTypeCreate' });
export type TaskTypeCreate = z.infer<typeof TaskTypeCreate>;

export const TaskTypeUpdate = z
  .strictObject({
    labelFr: Label.optional(),
    labelEn: Label.optional(),
    category: TaskCategory.optional(),
    slaHours: SlaHours.optional(),
    legalBasisFr: LegalBasisText.optional(),
    legalBasisEn: LegalBasisText.optional(),
  })
  .meta({ id: 'TaskTypeUpdate' });
export type TaskTypeUpdate = z.infer<typeof TaskTypeUpdate>;
