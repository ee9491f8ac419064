/** Notifications' part of the catalogue (merged into `messages`): the bell, its panel and the preferences page. */
export const notificationsFr = {
  'notif.bellNone': 'Notifications, aucune non lue',
  'notif.bellUnread': 'Notifications, {count} non lue(s)',
  'notif.title': 'Notifications',
  'notif.readAll': 'Tout marquer comme lu',
  'notif.markRead': 'Marquer comme lue',
  'notif.unread': 'Non lue :',
  'notif.empty': 'Aucune notification pour le moment.',
  'notif.failed': 'Les notifications ne se chargent pas. Réessayez plus tard.',
  'notif.preferences': 'Langue et adresse e-mail des notifications',
  'nav.preferences': 'Préférences',
  'prefs.title': 'Préférences',
  'prefs.intro':
    'Vos notifications, vos e-mails et les messages d’erreur du serveur sont rédigés dans cette langue. Sans adresse e-mail, vous ne trouvez vos notifications que dans Entraide.',
  'prefs.locale': 'Langue des notifications',
  'prefs.email': 'Adresse e-mail (facultative)',
  'prefs.emailHint': 'Laissez vide pour ne pas recevoir d’e-mails.',
  'prefs.save': 'Enregistrer',
  'prefs.saved': 'Préférences enregistrées.',
};

export const notificationsEn: Record<keyof typeof notificationsFr, string> = {
  'notif.bellNone': 'Notifications, none unread',
  'notif.bellUnread': 'Notifications, {count} unread',
  'notif.title': 'Notifications',
  'notif.readAll': 'Mark all read',
  'notif.markRead': 'Mark read',
  'notif.unread': 'Unread:',
  'notif.empty': 'No notifications yet.',
  'notif.failed': 'Notifications do not load. Try again later.',
  'notif.preferences': 'Language and e-mail address of notifications',
  'nav.preferences': 'Preferences',
  'prefs.title': 'Preferences',
  'prefs.intro':
    "Your notifications, e-mails and the server's error messages are written in this language. Without an e-mail address, you find your notifications only in Entraide.",
  'prefs.locale': 'Language of notifications',
  'prefs.email': 'E-mail address (optional)',
  'prefs.emailHint': 'Leave empty to receive no e-mails.',
  'prefs.save': 'Save',
  'prefs.saved': 'Preferences saved.',
};
