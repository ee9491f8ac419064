/** Appointments' part of the catalogue (merged into `messages`): a task's slot and the commune's calendar link. */
export const appointmentsFr = {
  'appointments.slot': 'Rendez-vous',
  'appointments.slotStart': 'Date et heure du rendez-vous',
  'appointments.slotDuration': 'Durée (minutes)',
  'appointments.slotPlace': 'Lieu (guichet, bureau)',
  'appointments.slotPlaceHint':
    'Le guichet ou le bureau, vu par toutes les communes de la région : aucune donnée du citoyen.',
  'appointments.slotHint': 'Ce type de tâche est un rendez-vous : indiquez quand, combien de temps et où.',
  'appointments.slotLine': 'Rendez-vous : {start} · {minutes} min · {place}',
  'appointments.slotValue': '{start} · {minutes} min · {place}',
  'appointments.calendar': 'Lien de calendrier',
  'appointments.calendarIntro':
    'Abonnez votre agenda (Outlook, Google, Thunderbird…) à cette adresse : il affiche les rendez-vous que votre commune a pris en charge. Gardez-la secrète : qui la détient voit ces rendez-vous.',
  'appointments.calendarUrl': 'Adresse du calendrier',
  'appointments.copy': 'Copier le lien',
  'appointments.copied': 'Lien copié.',
  'appointments.copyFailed': 'Copie impossible : sélectionnez le lien et copiez-le à la main.',
  'appointments.renew': 'Renouveler le lien',
  'appointments.renewConfirm':
    'Renouveler le lien ? L’ancien cesse aussitôt de fonctionner : chaque agenda abonné devra recevoir le nouveau.',
  'appointments.renewed': 'Nouveau lien créé : l’ancien ne fonctionne plus.',
  'appointments.renewedAt': 'Renouvelé le {at}.',
  'appointments.loading': 'Chargement du lien…',
};

export const appointmentsEn: Record<keyof typeof appointmentsFr, string> = {
  'appointments.slot': 'Appointment',
  'appointments.slotStart': 'Appointment date and time',
  'appointments.slotDuration': 'Length (minutes)',
  'appointments.slotPlace': 'Place (counter, office)',
  'appointments.slotPlaceHint': "The counter or office, seen by every commune of the region: no citizen's data.",
  'appointments.slotHint': 'This task type is an appointment: say when, for how long and where.',
  'appointments.slotLine': 'Appointment: {start} · {minutes} min · {place}',
  'appointments.slotValue': '{start} · {minutes} min · {place}',
  'appointments.calendar': 'Calendar link',
  'appointments.calendarIntro':
    'Subscribe your calendar (Outlook, Google, Thunderbird…) to this address: it shows the appointments your commune has taken on. Keep it secret: whoever has it sees those appointments.',
  'appointments.calendarUrl': 'Calendar address',
  'appointments.copy': 'Copy link',
  'appointments.copied': 'Link copied.',
  'appointments.copyFailed': 'Could not copy: select the link and copy it by hand.',
  'appointments.renew': 'Renew link',
  'appointments.renewConfirm':
    'Renew the link? The old one stops working at once: every subscribed calendar will need the new one.',
  'appointments.renewed': 'New link made: the old one no longer works.',
  'appointments.renewedAt': 'Renewed on {at}.',
  'appointments.loading': 'Loading the link…',
};
