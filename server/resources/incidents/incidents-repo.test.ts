import { incidentRowFromSnapshot } from './incidents-repo';

describe('incident snapshots', () => {
  const expected = {
    id: 'i1',
    communeId: 'c1',
    kind: 'flood',
    title: 'Crue',
    affectedServices: ['population'],
    status: 'recovering',
    openedAt: new Date('2026-11-20T08:00:00.123Z'),
    closedAt: null,
    version: 2,
  };

  it('reads a snapshot written as the row (to_jsonb of the changed incident)', () => {
    const row = incidentRowFromSnapshot({
      id: 'i1',
      commune_id: 'c1',
      kind: 'flood',
      title: 'Crue',
      affected_services: ['population'],
      status: 'recovering',
      opened_by: 'u1',
      opened_at: '2026-11-20T08:00:00.123456+00:00',
      closed_at: null,
      version: 2,
    });
    expect(row).toEqual({ ...expected, openedBy: 'u1' });
  });

  it('reads the first events, whose snapshot is the incident as the API presented it', () => {
    const row = incidentRowFromSnapshot({
      id: 'i1',
      communeId: 'c1',
      kind: 'flood',
      title: 'Crue',
      affectedServices: ['population'],
      status: 'recovering',
      openedAt: '2026-11-20T08:00:00.123Z',
      closedAt: null,
      version: 2,
    });
    expect(row).toEqual({ ...expected, openedBy: null });
  });
});
