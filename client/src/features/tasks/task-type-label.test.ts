import type { TaskType } from '../../../../shared/schemas';
import { taskTypeLabel } from './task-type-label';

const residence = {
  key: 'certificat_residence',
  labelFr: 'Certificat de résidence',
  labelEn: 'Residence certificate',
} as TaskType;

describe("a task type's label", () => {
  it('is said in the interface language, and falls back to the key only while the types are unknown', () => {
    expect(taskTypeLabel([residence], 'certificat_residence', 'fr')).toBe('Certificat de résidence');
    expect(taskTypeLabel([residence], 'certificat_residence', 'en')).toBe('Residence certificate');
    expect(taskTypeLabel(undefined, 'certificat_residence', 'en')).toBe('certificat_residence');
    expect(taskTypeLabel([residence], 'rdv_passeport', 'fr')).toBe('rdv_passeport');
  });
});
