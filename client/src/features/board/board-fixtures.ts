import type { Task } from '../../../../shared/schemas';

let serial = 0;

/** A task as the board holds it, for the board's unit tests; ids sort as they are made. */
export function boardTask(over: Partial<Task> = {}): Task {
  serial += 1;
  const id = `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`;
  return {
    id,
    code: 'LIE-00000',
    drillId: null,
    requestingCommuneId: '10000000-0000-4000-8000-000000000001',
    regionId: '20000000-0000-4000-8000-000000000001',
    incidentId: null,
    type: 'certificat_residence',
    title: `Tâche ${serial}`,
    details: '',
    priority: 'normal',
    dueAt: '2026-12-01T12:00:00.000Z',
    deliveryMode: 'post',
    status: 'open',
    claimedByCommuneId: null,
    claimedByUserId: null,
    claimedAt: null,
    remindedAt: null,
    transferRequestId: null,
    escalationLevel: 0,
    waiting: null,
    slot: null,
    outcome: null,
    minutesSpent: null,
    doneAt: null,
    hasCitizenData: false,
    postedBy: null,
    onBehalf: false,
    postedByTokenId: null,
    overdue: false,
    version: 1,
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
    abilities: {
      update: false,
      claim: true,
      start: false,
      complete: false,
      release: false,
      cancel: false,
      reassign: false,
      correctTime: false,
      viewCitizen: false,
      requestTransfer: false,
      ask: false,
      answer: false,
    },
    ...over,
  };
}
