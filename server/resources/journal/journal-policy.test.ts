import { actor, cast } from '../../../test/actors';
import { canReadJournal, canReadJournalCitizens, canReadJournals, canSeeJournalCommune } from './journal-policy';

const communeA = { id: 'A', regionId: 'R' };

describe('journal policy', () => {
  it('is for managers and coordinators only', () => {
    expect(canReadJournals(cast.managerA)).toBe(true);
    expect(canReadJournals(cast.coordinator)).toBe(true);
    expect(canReadJournals(cast.clerkB)).toBe(false);
    expect(canReadJournals(actor('dpo', null, 'R'))).toBe(false);
    expect(canReadJournals(cast.admin)).toBe(false);
    expect(canReadJournals(actor('manager', 'A', 'R', false))).toBe(false);
  });

  it('reads a commune’s journal as its manager or its region’s coordinator; another region sees nothing', () => {
    expect(canReadJournal(cast.managerA, communeA)).toBe(true);
    expect(canReadJournal(cast.coordinator, communeA)).toBe(true);
    expect(canReadJournal(actor('manager', 'B', 'R'), communeA)).toBe(false);
    expect(canSeeJournalCommune(actor('manager', 'B', 'R'), communeA)).toBe(true);
    expect(canSeeJournalCommune(cast.foreignManager, communeA)).toBe(false);
    expect(canSeeJournalCommune(cast.foreignCoordinator, communeA)).toBe(false);
  });

  it('gives citizens to the commune’s own managers, never to the coordinator', () => {
    expect(canReadJournalCitizens(cast.managerA, communeA)).toBe(true);
    expect(canReadJournalCitizens(cast.coordinator, communeA)).toBe(false);
    expect(canReadJournalCitizens(actor('manager', 'B', 'R'), communeA)).toBe(false);
  });
});
