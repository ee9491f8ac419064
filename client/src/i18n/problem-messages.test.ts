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

  it("keeps the server's words for a code it does not know, or a problem without one", () => {
    expect(problemMessage('fr', { ...conflict, code: 'something_new' })).toBe(
      'This task is done: it cannot be released now.',
    );
    expect(problemMessage('fr', { type: 'about:blank', title: 'Bad Gateway', status: 502 })).toBe('Bad Gateway');
  });
});
