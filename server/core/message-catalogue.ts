import { adminMessages } from './message-catalogue-admin';
import { taskMessages } from './message-catalogue-tasks';
import { said, text } from './message-entry';

/** What a row not found is called: French needs its gender. */
const things: Record<string, { en: string; fr: string }> = {
  task: { en: 'task', fr: 'Cette tâche' },
  commune: { en: 'commune', fr: 'Cette commune' },
  drill: { en: 'drill', fr: 'Cet exercice' },
  'calendar link': { en: 'calendar link', fr: 'Ce lien de calendrier' },
  incident: { en: 'incident', fr: 'Cet incident' },
  notification: { en: 'notification', fr: 'Cette notification' },
  recovery: { en: 'recovery', fr: 'Cette récupération de compte' },
  region: { en: 'region', fr: 'Cette région' },
  statement: { en: 'statement', fr: 'Ce décompte' },
  'task type': { en: 'task type', fr: 'Ce type de tâche' },
  'capacity offer': { en: 'capacity offer', fr: 'Cette offre de capacité' },
  token: { en: 'token', fr: 'Ce jeton' },
  user: { en: 'user', fr: 'Ce compte' },
  webhook: { en: 'webhook', fr: 'Ce webhook' },
};

/**
 * The API's words for what went wrong, in English and French, by key: a problem's `code` where one
 * code has one meaning, a finer key where a code (`forbidden`, `validation_failed`) covers several.
 * Programs read `code` and the field errors' `code`, which are never translated.
 */
export const generalMessages = {
  // Reading a request.
  sign_in_first: text('Please sign in first.', 'Veuillez d’abord vous connecter.'),
  session_expired: text(
    'Your session has expired. Please sign in again.',
    'Votre session a expiré. Veuillez vous reconnecter.',
  ),
  fields_invalid: said(
    (p: { what: 'body' | 'query'; fields: string }) =>
      `The ${p.what === 'body' ? 'request body' : 'query'} has invalid fields: ${p.fields}.`,
    (p) => `${p.what === 'body' ? 'Le corps de la demande' : 'La requête'} a des champs invalides : ${p.fields}.`,
  ),
  param_invalid: said(
    (p: { name: string }) => `The ${p.name} in the address is not valid.`,
    (p) => `Le paramètre ${p.name} de l’adresse n’est pas valide.`,
  ),
  body_not_json: text('The request body is not valid JSON.', 'Le corps de la demande n’est pas du JSON valide.'),
  body_too_large: said(
    (p: { kib: number | undefined }) =>
      `The request body is larger than this endpoint accepts${p.kib ? ` (${p.kib} KiB)` : ''}.`,
    (p) => `Le corps de la demande dépasse ce que cette adresse accepte${p.kib ? ` (${p.kib} Kio)` : ''}.`,
  ),
  body_not_utf8: text('The request body must be UTF-8 JSON.', 'Le corps de la demande doit être du JSON en UTF-8.'),
  send_json: text('Send this request as application/json.', 'Envoyez cette demande en application/json.'),
  send_json_or_csv: text(
    'Send this request as application/json or text/csv.',
    'Envoyez cette demande en application/json ou text/csv.',
  ),
  unreadable: text('The request could not be read.', 'La demande n’a pas pu être lue.'),
  cross_site_request: text(
    'This request came from another site and was refused.',
    'Cette demande venait d’un autre site et a été refusée.',
  ),
  no_route: said(
    (p: { method: string; path: string }) => `There is no ${p.method} ${p.path} in this API.`,
    (p) => `Il n’y a pas de ${p.method} ${p.path} dans cette API.`,
  ),
  internal: text('Something went wrong on our side.', 'Une erreur s’est produite de notre côté.'),
  internal_logged: text(
    'Something went wrong on our side. The team has the details under this request id.',
    'Une erreur s’est produite de notre côté. L’équipe en a le détail sous ce numéro de demande.',
  ),
  draining: text('This instance is shutting down.', 'Cette instance s’arrête.'),
  database_unavailable: text('The database does not answer.', 'La base de données ne répond pas.'),
  not_found: said(
    (p: { resource: string }) =>
      `This ${things[p.resource]?.en ?? p.resource} does not exist or is not visible to you.`,
    (p) => `${things[p.resource]?.fr ?? `Cet élément (${p.resource})`} n’existe pas ou ne vous est pas visible.`,
  ),
  forbidden: text('Your role does not allow this.', 'Votre rôle ne permet pas cette action.'),
  second_factor_required: text(
    'Your role requires a second factor: enrol an authenticator app (your account, Security) before anything else.',
    'Votre rôle exige un second facteur : enregistrez une application d’authentification (votre compte, Sécurité) avant toute autre chose.',
  ),
  integration_posts_only: text(
    'An integration token may only post tasks (POST /api/v1/tasks and /api/v1/tasks/bulk).',
    'Un jeton d’intégration ne peut que publier des tâches (POST /api/v1/tasks et /api/v1/tasks/bulk).',
  ),
  idempotency_key_required: text(
    'An integration must send an Idempotency-Key header with each post.',
    'Une intégration doit envoyer un en-tête Idempotency-Key avec chaque publication.',
  ),
  idempotency_key_invalid: text(
    'The Idempotency-Key header is not valid.',
    'L’en-tête Idempotency-Key n’est pas valide.',
  ),
  idempotency_key_reused: text(
    'This Idempotency-Key was already used for another request: use a new key for a new request.',
    'Cette clé Idempotency-Key a déjà servi pour une autre demande : utilisez une nouvelle clé pour une nouvelle demande.',
  ),
  idempotency_key_in_use: text(
    'A request with this Idempotency-Key is still under way: retry in a moment.',
    'Une demande avec cette clé Idempotency-Key est encore en cours : réessayez dans un moment.',
  ),
  page_cursor_invalid: text('The page cursor is not valid.', 'Le curseur de page n’est pas valide.'),

  // Signing in.
  wrong_credentials: text('Wrong username or password.', 'Nom d’utilisateur ou mot de passe incorrect.'),
  too_many_sign_ins: said(
    (p: { minutes: number }) => `Too many failed sign-in attempts. Try again in ${p.minutes} minute(s).`,
    (p) => `Trop de tentatives de connexion échouées. Réessayez dans ${p.minutes} minute(s).`,
  ),
  wrong_access_code: text(
    'Wrong username or access code, or the code has expired or been used.',
    'Nom d’utilisateur ou code d’accès incorrect, ou code expiré ou déjà utilisé.',
  ),
  token_invalid: text(
    'This API token is not valid, or it has been revoked.',
    'Ce jeton d’API n’est pas valide, ou il a été révoqué.',
  ),
  too_many_token_posts: said(
    (p: { seconds: number }) => `Too many posts with this token. Try again in ${p.seconds} second(s).`,
    (p) => `Trop de publications avec ce jeton. Réessayez dans ${p.seconds} seconde(s).`,
  ),
  too_many_calendar_lookups: said(
    (p: { minutes: number }) => `Too many calendar look-ups from your address. Try again in ${p.minutes} minute(s).`,
    (p) => `Trop de consultations du calendrier depuis votre adresse. Réessayez dans ${p.minutes} minute(s).`,
  ),
  too_many_lookups: said(
    (p: { minutes: number }) => `Too many tracking look-ups from your address. Try again in ${p.minutes} minute(s).`,
    (p) => `Trop de consultations de suivi depuis votre adresse. Réessayez dans ${p.minutes} minute(s).`,
  ),
  socket_too_fast: text(
    'Too many requests on this connection: slow down.',
    'Trop de demandes sur cette connexion : ralentissez.',
  ),

  // Who may do what, said when a role may not (403).
  only_commune_staff_see_calendar: text(
    "Only a commune's managers and clerks can see its calendar link.",
    'Seuls les gestionnaires et les agents d’une commune voient son lien de calendrier.',
  ),
  only_managers_renew_calendar: text(
    "Only a commune's managers can renew its calendar link.",
    'Seuls les gestionnaires d’une commune peuvent renouveler son lien de calendrier.',
  ),
  only_admin: text(
    'Only the platform administrator can do this.',
    'Seul l’administrateur de la plateforme peut faire cela.',
  ),
  only_admin_manages_accounts: text(
    'Only the platform administrator can manage accounts.',
    'Seul l’administrateur de la plateforme gère les comptes.',
  ),
  only_admin_and_coordinators_see_accounts: text(
    "Only the platform administrator and the region's coordinator can see accounts.",
    'Seuls l’administrateur de la plateforme et le coordinateur de la région voient les comptes.',
  ),
  only_admin_resets_second_factor: text(
    'Only the platform administrator can reset a second factor.',
    'Seul l’administrateur de la plateforme peut réinitialiser un second facteur.',
  ),
  only_dpos_read_audit: text(
    "Only the region's data protection officer reads its audit trail.",
    'Seul le délégué à la protection des données de la région lit son journal d’audit.',
  ),
  only_dpos_and_admin_verify: text(
    'Only a data protection officer or the platform administrator checks the chains.',
    'Seuls un délégué à la protection des données ou l’administrateur de la plateforme vérifient les chaînes.',
  ),
  only_dpos: text(
    "Only the region's data protection officer can do this.",
    'Seul le délégué à la protection des données de la région peut faire cela.',
  ),
  only_region_members_see_loads: text(
    'Loads are shown to the people of a region.',
    'Les charges ne sont montrées qu’aux personnes de la région.',
  ),
  only_region_members_follow_changes: text(
    'Board changes are for the people of a region.',
    'Les changements du tableau sont réservés aux personnes de la région.',
  ),
  only_coordinators_issue_codes: text(
    "Only the region's coordinator can give someone an access code.",
    'Seul le coordinateur de la région peut donner un code d’accès.',
  ),
  only_managers_and_admin_manage_tokens: text(
    "Only a commune's manager or the admin manages integration tokens.",
    'Seuls le gestionnaire d’une commune ou l’administrateur gèrent les jetons d’intégration.',
  ),
  only_coordinators_change_settings: text(
    "Only the region's coordinator can change its coordination settings.",
    'Seul le coordinateur de la région peut modifier ses réglages de coordination.',
  ),
  only_region_members_read_settings: text(
    "Only the people of the region's communes and its coordinator see its settings.",
    'Seuls les membres des communes de la région et son coordinateur voient ses réglages.',
  ),
  only_webhook_keepers: text(
    "Only a commune's managers (for their commune) or the region's coordinators (for the region) keep webhooks.",
    'Seuls les gestionnaires d’une commune (pour leur commune) ou les coordinateurs de la région (pour la région) gèrent des webhooks.',
  ),
  only_coordinators_report: text(
    "Only the region's coordinator reads and closes its reports.",
    'Seul le coordinateur de la région lit et clôture ses rapports.',
  ),
  only_second_persons_confirm: text(
    "Only the region's DPO or a manager of the commune, whose own account is confirmed, can confirm a recovery.",
    'Seuls le DPD de la région ou un gestionnaire de la commune, dont le propre compte est confirmé, peuvent confirmer une récupération.',
  ),

  // Drills.
  only_coordinators_drill: text(
    "Only the region's coordinator starts and ends its drills.",
    'Seul le coordinateur de la région lance et termine ses exercices.',
  ),
  only_region_members_see_drills: text(
    "Only the people of a region's communes and its coordinator see its drills.",
    'Seuls les membres des communes de la région et son coordinateur voient ses exercices.',
  ),
  drill_running: text(
    'A drill is already running in this region: end it before starting another.',
    'Un exercice est déjà en cours dans cette région : terminez-le avant d’en lancer un autre.',
  ),
  drill_ended: text('This drill has already ended.', 'Cet exercice est déjà terminé.'),

  // Webhooks.
  webhook_not_created: text('The webhook was not created.', 'Le webhook n’a pas été créé.'),

  // Capacity offers and suggestions.
  only_managers_offer: text(
    "Only a commune's managers offer its capacity.",
    'Seuls les gestionnaires d’une commune offrent sa capacité.',
  ),
  only_offering_managers: text(
    "Only the offering commune's managers (or, to withdraw it, the region's coordinator) can change this offer.",
    'Seuls les gestionnaires de la commune qui l’offre (ou, pour la retirer, le coordinateur de la région) peuvent modifier cette offre.',
  ),
  only_region_members_see_offers: text(
    'Only the people of a region see its capacity offers.',
    'Seules les personnes d’une région voient ses offres de capacité.',
  ),
  only_helpers_get_suggestions: text(
    "Only a commune's clerks and managers get the tasks suggested to it.",
    'Seuls les agents et gestionnaires d’une commune reçoivent les tâches qui lui sont suggérées.',
  ),
  offer_invalid: text('The capacity offer is not valid.', 'L’offre de capacité n’est pas valide.'),
  offer_overlap: said(
    (p: { from: string; to: string; types: string }) =>
      `Your commune already offers ${p.types} from ${p.from} to ${p.to}: change that offer instead.`,
    (p) => `Votre commune offre déjà ${p.types} du ${p.from} au ${p.to} : modifiez plutôt cette offre.`,
  ),
};

/** Every message, by key; a test checks that no two sections share a key (a spread would hide one). */
export const catalogue = { ...generalMessages, ...taskMessages, ...adminMessages };

export type Catalogue = typeof catalogue;
