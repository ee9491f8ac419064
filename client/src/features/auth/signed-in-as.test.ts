import { signedInScope } from './signed-in-as';

describe('the header’s name of the signed-in user', () => {
  it('names the commune or region once, not again when the display name says it', () => {
    const region = 'Arrondissement de Liège';
    expect(signedInScope({ displayName: `Coordination — ${region}`, communeName: null, regionName: region })).toBe(
      undefined,
    );
    expect(signedInScope({ displayName: 'Agent — Liège', communeName: 'Liège', regionName: region })).toBe(undefined);
    expect(signedInScope({ displayName: 'Ada Lovelace', communeName: 'Seraing', regionName: region })).toBe('Seraing');
    expect(signedInScope({ displayName: 'Marie Curie', communeName: null, regionName: region })).toBe(region);
    expect(signedInScope({ displayName: 'Administration Entraide', communeName: null, regionName: null })).toBe(
      undefined,
    );
  });
});
