import type { CommuneRow } from '../../db/schema';
import type { NewTaskRow } from '../tasks/tasks-repo';

/**
 * The made-up people of a drill's tasks: fixed, plainly fictitious names, never real data. They are
 * in the title only (a drill task has no citizen data: nothing to encrypt, read or audit).
 */
export const fictitiousCitizens = [
  'Jean Exemple',
  'Marie Fictive',
  'Paul Essai',
  'Sophie Modèle',
  'Luc Témoin',
  'Anne Specimen',
  'Marc Exercice',
  'Julie Démo',
] as const;

const priorities = ['urgent', 'high', 'normal', 'normal', 'low'] as const;

export interface WaveInput {
  drillId: string;
  regionId: string;
  count: number;
  startedAt: Date;
  durationMinutes: number;
  postedBy: string | null;
  /** The communes the tasks are for: those in incident, or every commune of the region. */
  communes: readonly Pick<CommuneRow, 'id'>[];
  types: readonly { key: string; labelFr: string; labelEn: string }[];
}

/**
 * The scripted wave: `count` tasks spread in turn over the communes and the task types, every one
 * marked as an exercise in its title and details, falling due from a quarter of the drill's length
 * to its end, so that some are late before it ends if nobody takes them.
 */
export function scriptedWave(input: WaveInput): Omit<NewTaskRow, 'code'>[] {
  const { communes, types } = input;
  return Array.from({ length: input.count }, (_, i) => {
    const commune = communes[i % communes.length];
    const type = types[i % types.length];
    if (!commune || !type) throw new Error('a drill needs a commune and a task type');
    const citizen = fictitiousCitizens[i % fictitiousCitizens.length] ?? fictitiousCitizens[0];
    const quarter = (i % 4) + 1;
    return {
      requestingCommuneId: commune.id,
      regionId: input.regionId,
      incidentId: null,
      type: type.key,
      title: `EXERCICE / EXERCISE — ${type.labelFr} — ${citizen} (fictif / fictitious)`,
      details:
        'Tâche fictive d’exercice : aucune personne ni donnée réelle. ' +
        'Made-up drill task: no real person, no real data.',
      priority: priorities[i % priorities.length] ?? 'normal',
      dueAt: new Date(input.startedAt.getTime() + (input.durationMinutes * 60_000 * quarter) / 4),
      deliveryMode: 'pickup_helper' as const,
      citizenCiphertext: null,
      createdBy: input.postedBy,
      onBehalf: true,
      drillId: input.drillId,
    };
  });
}
