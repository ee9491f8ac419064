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
  })
  .meta({ id: 'TaskType' });
export type TaskType = z.infer<typeof TaskType>;

export const TaskTypeCreate = z
  .strictObject({
    key: TaskTypeKey,
    labelFr: z.string().trim().min(1, 'is required').max(200),
    labelEn: z.string().trim().min(1, 'is required').max(200),
    category: TaskCategory,
    slaHours: z
      .number({ error: 'must be a whole number of hours' })
      .int()
      .min(1)
      .max(24 * 90),
  })
  .meta({ id: 'TaskTypeCreate' });
export type TaskTypeCreate = z.infer<typeof TaskTypeCreate>;
