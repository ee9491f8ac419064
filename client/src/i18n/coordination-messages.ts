/**
 * Coordination's part of the catalogue (merged into `messages`): the coordinator's settings page, the
 * claim cap, reminders and what the system did by itself. Keys carry the prefix `coordination.`, or
 * `task.` for what the board and the task page show.
 */
export const coordinationFr = {
  'nav.coordination': 'Réglages de coordination',
  'coordination.title': 'Réglages de coordination — {region}',
  'coordination.intro':
    "Ces réglages valent pour toutes les communes de la région. Une valeur par défaut est celle de la plateforme ; un changement s'applique aux prochaines prises en charge, sans rien relâcher.",
  'coordination.loading': 'Chargement des réglages…',
  'coordination.readOnly': 'Seul le coordinateur de la région peut changer ces réglages.',
  'coordination.maxActiveClaimsPerCommune': 'Prises en charge actives par commune, au plus',
  'coordination.maxActiveClaimsPerCommuneHint':
    "Prises en charge et en cours. Au-delà, une commune doit en terminer ou en relâcher une avant d'en prendre une autre.",
  'coordination.transferTimeoutMinutes': 'Délai de réponse à une demande de transfert (minutes)',
  'coordination.transferTimeoutMinutesHint':
    "Sans réponse de la commune qui la tient, la tâche passe à celle qui l'a demandée.",
  'coordination.staleClaimHours': 'Prise en charge non commencée : rendue ouverte après (heures)',
  'coordination.staleClaimHoursHint': 'Le système la relâche, pour une autre commune.',
  'coordination.remindAfterHours': 'Prise en charge non commencée : rappel après (heures)',
  'coordination.remindAfterHoursHint': 'Un seul rappel par prise en charge, visible sur la carte et dans l’historique.',
  'coordination.bounds': 'De {min} à {max}.',
  'coordination.value': 'Valeur',
  'coordination.useDefault': 'Valeur par défaut ({value})',
  'coordination.save': 'Enregistrer',
  'coordination.saving': 'Enregistrement…',
  'coordination.saved': 'Réglages enregistrés.',
  'coordination.nothingChanged': "Rien n'a changé.",
  'coordination.history': 'Derniers changements',
  'coordination.historyEmpty': 'Aucun changement : la région suit les valeurs par défaut.',
  'coordination.historyBy': 'par {name}',
  'coordination.historyChange': '{setting} : {from} → {to}',
  'coordination.default': 'défaut',
  'coordination.claimCap': 'Votre commune tient {active} prise(s) en charge active(s) sur {cap} permises.',

  'task.remindedBadge': 'Rappel envoyé',
  'task.remindedHint': 'Prise en charge il y a longtemps et pas encore commencée : commencez-la ou relâchez-la.',
  'history.system': 'système',
  'history.staleRelease': 'non commencée à temps',
  action_reminded: 'Rappel : prise en charge pas encore commencée',
};

export const coordinationEn: Record<keyof typeof coordinationFr, string> = {
  'nav.coordination': 'Coordination settings',
  'coordination.title': 'Coordination settings — {region}',
  'coordination.intro':
    "These settings apply to every commune of the region. A default is the platform's; a change applies to the next claims and releases nothing.",
  'coordination.loading': 'Loading the settings…',
  'coordination.readOnly': "Only the region's coordinator can change these settings.",
  'coordination.maxActiveClaimsPerCommune': 'Active claims per commune, at most',
  'coordination.maxActiveClaimsPerCommuneHint':
    'Claimed and in progress. Beyond it, a commune must finish or release one before claiming another.',
  'coordination.transferTimeoutMinutes': 'Time to answer a transfer request (minutes)',
  'coordination.transferTimeoutMinutesHint': 'Unanswered by the holder, the task moves to the commune that asked.',
  'coordination.staleClaimHours': 'Claim not started: back to open after (hours)',
  'coordination.staleClaimHoursHint': 'The system releases it, for another commune.',
  'coordination.remindAfterHours': 'Claim not started: reminder after (hours)',
  'coordination.remindAfterHoursHint': 'One reminder per claim, shown on the card and in the history.',
  'coordination.bounds': 'From {min} to {max}.',
  'coordination.value': 'Value',
  'coordination.useDefault': 'Default ({value})',
  'coordination.save': 'Save',
  'coordination.saving': 'Saving…',
  'coordination.saved': 'Settings saved.',
  'coordination.nothingChanged': 'Nothing changed.',
  'coordination.history': 'Latest changes',
  'coordination.historyEmpty': 'No change: the region follows the defaults.',
  'coordination.historyBy': 'by {name}',
  'coordination.historyChange': '{setting}: {from} → {to}',
  'coordination.default': 'default',
  'coordination.claimCap': 'Your commune holds {active} active claim(s) of the {cap} allowed.',

  'task.remindedBadge': 'Reminder sent',
  'task.remindedHint': 'Claimed long ago and not started yet: start it or release it.',
  'history.system': 'system',
  'history.staleRelease': 'not started in time',
  action_reminded: 'Reminder: claimed, not started yet',
};
