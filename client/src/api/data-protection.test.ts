import { auditQueryString, dataProtectionApi, verifyQueryString } from './data-protection';

describe('the data protection calls', () => {
  it('puts only the filters that say something in the audit query, with the page cursor', () => {
    expect(auditQueryString({})).toBe('');
    expect(
      auditQueryString(
        { kind: 'citizen_read', taskId: '44444444-4444-4444-8444-444444444444', from: '2026-11-01T00:00:00.000Z' },
        { cursor: 'MTIz' },
      ),
    ).toBe(
      'kind=citizen_read&taskId=44444444-4444-4444-8444-444444444444&from=2026-11-01T00%3A00%3A00.000Z&cursor=MTIz',
    );
  });

  it('downloads the CSV with the same filters', () => {
    expect(dataProtectionApi.auditCsvHref({})).toBe('/api/v1/audit/export.csv');
    expect(dataProtectionApi.auditCsvHref({ kind: 'export', to: '2026-11-30T22:59:59.999Z' })).toBe(
      '/api/v1/audit/export.csv?kind=export&to=2026-11-30T22%3A59%3A59.999Z',
    );
  });

  it('sends the heads pasted for the chain check, trimmed, and none that is blank', () => {
    expect(verifyQueryString({ eventsHead: '', auditHead: '  ' })).toBe('');
    expect(verifyQueryString({ eventsHead: ' 12:abc ', auditHead: '' })).toBe('eventsHead=12%3Aabc');
  });
});
