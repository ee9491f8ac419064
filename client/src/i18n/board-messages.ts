/**
 * The board's part of the catalogue (merged into `messages`): its order, the columns loading as one
 * scrolls, and opening a task by its code. Keys carry the prefix `board.`.
 */
export const boardFr = {
  'board.sort': 'Trier par',
  'board.sort_due': 'Échéance',
  'board.sort_priority': 'Priorité, puis échéance',
  'board.sort_created': 'Plus récentes',
  'board.loading': 'Chargement…',
  'board.loadingMore': 'Chargement de la suite…',
  'board.shown': '{shown} chargées sur {count}',
  'board.openCode': 'Ouvrir la tâche {code}',
  'board.codeInvalid': "Ce code n'est pas valide : vérifiez les caractères.",
  'board.codeUnknown': 'Aucune tâche ne porte le code {code}.',
  'board.loadFailed': 'Le tableau n’a pas pu être chargé. Réessayez.',
} as const;

export const boardEn: Record<keyof typeof boardFr, string> = {
  'board.sort': 'Sort by',
  'board.sort_due': 'Due date',
  'board.sort_priority': 'Priority, then due date',
  'board.sort_created': 'Newest',
  'board.loading': 'Loading…',
  'board.loadingMore': 'Loading more…',
  'board.shown': '{shown} loaded of {count}',
  'board.openCode': 'Open task {code}',
  'board.codeInvalid': 'This code is not valid: check the characters.',
  'board.codeUnknown': 'No task has the code {code}.',
  'board.loadFailed': 'The board could not be loaded. Try again.',
};
