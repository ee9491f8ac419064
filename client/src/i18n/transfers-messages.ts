/**
 * Transfers' and escalations' part of the catalogue (merged into `messages`): the task page's transfer
 * panel, the card's badge and the history's words. Keys carry the prefix `transfer.`, or `action_`
 * for the history.
 */
export const transfersFr = {
  'transfer.title': 'Transfert',
  'transfer.badge': 'Transfert demandé',
  'transfer.badgeHint': 'Une autre commune demande à reprendre cette tâche.',
  'transfer.askedBy': '{commune} demande à reprendre cette tâche ({name}).',
  'transfer.expires': 'Sans réponse, elle passe automatiquement à {commune} le',
  'transfer.accept': 'Accepter le transfert',
  'transfer.decline': 'Refuser',
  'transfer.ask': 'Demander le transfert',
  'transfer.askHint':
    "Votre commune peut s'en charger ? Demandez à la commune qui la tient de vous la céder ; sans réponse dans le délai de la région, elle vous revient.",
  'transfer.toCommune': 'Commune qui la reprendrait',
  'transfer.note': 'Message pour la commune qui la tient (facultatif)',
  'transfer.send': 'Envoyer la demande',
  'transfer.askerAtCap':
    '{commune} tient déjà {active} prise(s) en charge active(s) sur {cap} permises : elle doit en libérer une avant de reprendre celle-ci.',
  'history.escalation1': 'signalée à la commune qui la tient',
  'history.escalation2': 'signalée à la coordination',
  action_transfer_requested: 'Transfert demandé',
  action_transfer_accepted: 'Transfert accepté',
  action_transfer_declined: 'Transfert refusé',
  action_transfer_timed_out: 'Transfert sans réponse : tâche transférée',
  action_escalated: 'En retard : escaladée',
};

export const transfersEn: Record<keyof typeof transfersFr, string> = {
  'transfer.title': 'Transfer',
  'transfer.badge': 'Transfer requested',
  'transfer.badgeHint': 'Another commune asks to take this task over.',
  'transfer.askedBy': '{commune} asks to take this task over ({name}).',
  'transfer.expires': 'Unanswered, it moves to {commune} automatically on',
  'transfer.accept': 'Accept the transfer',
  'transfer.decline': 'Decline',
  'transfer.ask': 'Request transfer',
  'transfer.askHint':
    "Can your commune do it? Ask the commune holding it to hand it over; unanswered within the region's time, it comes to you.",
  'transfer.toCommune': 'Commune that would take it',
  'transfer.note': 'Message for the commune holding it (optional)',
  'transfer.send': 'Send the request',
  'transfer.askerAtCap':
    '{commune} already holds {active} active claim(s) of the {cap} allowed: it must free one before taking this one.',
  'history.escalation1': 'escalated to the commune holding it',
  'history.escalation2': 'escalated to the coordinator',
  action_transfer_requested: 'Transfer requested',
  action_transfer_accepted: 'Transfer accepted',
  action_transfer_declined: 'Transfer declined',
  action_transfer_timed_out: 'Transfer unanswered: task moved',
  action_escalated: 'Overdue: escalated',
};
