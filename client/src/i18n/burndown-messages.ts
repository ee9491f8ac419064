/** The burn-down's part of the catalogue (merged into `messages`), on the dashboard and the stricken commune's board. */
export const burndownFr = {
  'burndown.title': 'Résorption des demandes',
  'burndown.intro':
    "Pour chaque commune en incident : ses demandes en attente à la fin de chaque heure, et la date où il n'en restera plus au rythme des dernières 24 heures.",
  'burndown.period': 'Période',
  'burndown.hours24': '24 heures',
  'burndown.hours72': '3 jours',
  'burndown.hours168': '7 jours',
  'burndown.own': 'Résorption de vos demandes',
  'burndown.loading': 'Chargement de la courbe…',
  'burndown.failed': 'La courbe est indisponible pour le moment.',
  'burndown.retry': 'Réessayer',
  'burndown.pending': 'En attente',
  'burndown.pendingNow': '{count} en attente',
  'burndown.recent': 'Dernières 24 h : {posted} publiées, {done} terminées, {cancelled} annulées',
  'burndown.clear': 'Aucune demande en attente.',
  'burndown.eta': 'Plus aucune demande en attente vers le {date}, au rythme actuel.',
  'burndown.etaShort': 'fin prévue le {date}',
  'burndown.stalled': "Ne se résorbe pas : il arrive autant ou plus de demandes qu'il n'en est traité.",
  'burndown.stalledShort': 'ne se résorbe pas',
  'burndown.chart': 'Demandes en attente, heure par heure',
  'burndown.chartDesc':
    'Ligne : demandes en attente à la fin de chaque heure ({hours} heures). Barres : demandes publiées, et demandes terminées ou annulées, chaque heure. Il en reste {count} ; {outlook}',
  'burndown.posted': 'Publiées',
  'burndown.finished': 'Terminées ou annulées',
};

export const burndownEn: Record<keyof typeof burndownFr, string> = {
  'burndown.title': 'Burn-down',
  'burndown.intro':
    'For each commune in incident: its pending requests at the end of each hour, and when none will be left at the pace of the last 24 hours.',
  'burndown.period': 'Period',
  'burndown.hours24': '24 hours',
  'burndown.hours72': '3 days',
  'burndown.hours168': '7 days',
  'burndown.own': 'Your requests burn-down',
  'burndown.loading': 'Loading the chart…',
  'burndown.failed': 'The burn-down is not available right now.',
  'burndown.retry': 'Retry',
  'burndown.pending': 'Pending',
  'burndown.pendingNow': '{count} pending',
  'burndown.recent': 'Last 24 h: {posted} posted, {done} done, {cancelled} cancelled',
  'burndown.clear': 'No request pending.',
  'burndown.eta': 'No request pending by {date}, at the current pace.',
  'burndown.etaShort': 'clear by {date}',
  'burndown.stalled': 'Not converging: as many requests or more come in as are finished.',
  'burndown.stalledShort': 'not converging',
  'burndown.chart': 'Pending requests, hour by hour',
  'burndown.chartDesc':
    'Line: pending requests at the end of each hour ({hours} hours). Bars: requests posted, and requests done or cancelled, each hour. {count} left; {outlook}',
  'burndown.posted': 'Posted',
  'burndown.finished': 'Done or cancelled',
};
