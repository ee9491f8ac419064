import { problemMessage } from './problem-messages';

describe('problems in the interface language', () => {
  const conflict = {
    type: 'about:blank',
    title: 'Conflict',
    status: 409,
    code: 'invalid_transition',
    detail: 'This task is done: it cannot be released now.',
  };

  it("says a known problem in French by its code, and keeps the server's particulars in English", () => {
    expect(problemMessage('fr', conflict)).toBe("Cette action n'est plus possible dans l'état actuel.");
    expect(problemMessage('en', conflict)).toBe('This task is done: it cannot be released now.');
    expect(
      problemMessage('fr', {
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        code: 'internal',
        instance: 'req-42',
        detail: 'Something went wrong on our side.',
      }),
    ).toBe("Une erreur s'est produite de notre côté. Si elle persiste, communiquez ce numéro : req-42.");
  });

  it('says a claim beyond the cap with the cap and the active claims, in both languages', () => {
    const capped = {
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      code: 'claim_cap',
      cap: 50,
      active: 50,
      detail:
        'Your commune already holds 50 active claims, and the region allows 50 at most: ' +
        'start, finish or release one before claiming another.',
    };
    expect(problemMessage('fr', capped)).toBe(
      "Votre commune tient déjà 50 prise(s) en charge active(s), et la région en permet 50 au plus : commencez, terminez ou relâchez-en une avant d'en prendre une autre.",
    );
    expect(problemMessage('en', capped)).toBe(capped.detail);
  });

  it("keeps the server's words for a code it does not know, or a problem without one", () => {
    expect(problemMessage('fr', { ...conflict, code: 'something_new' })).toBe(
      'This task is done: it cannot be released now.',
    );
    expect(problemMessage('fr', { type: 'about:blank', title: 'Bad Gateway', status: 502 })).toBe('Bad Gateway');
  });
});
