import type { Problem } from '../../../shared/schemas';
import type { Locale } from './messages';
import { fillPlaceholders } from './translate';

/**
 * What went wrong, in French, by the problem's `code`: the server words its `detail` in English, with
 * the particulars (which task, which commune) that English readers get. A code not listed here keeps
 * the server's words.
 */
const french: Record<string, string> = {
  network: 'Le serveur ne répond pas. Vérifiez la connexion et réessayez.',
  unauthenticated: 'Votre session a expiré. Veuillez vous reconnecter.',
  forbidden: 'Votre rôle ou votre commune ne permet pas cette action.',
  not_found: "Ceci n'existe pas ou ne vous est pas visible.",
  validation_failed: 'Corrigez les champs indiqués.',
  already_claimed: 'Une autre commune a pris cette tâche en premier.',
  claim_cap:
    "Votre commune tient déjà {active} prise(s) en charge active(s), et la région en permet {cap} au plus : commencez, terminez ou relâchez-en une avant d'en prendre une autre.",
  stale_version: "Quelqu'un l'a modifié entre-temps : voici son état actuel.",
  invalid_transition: "Cette action n'est plus possible dans l'état actuel.",
  incident_open: "Cette commune a déjà un incident ouvert : mettez-le à jour plutôt que d'en déclarer un autre.",
  duplicate: 'Cela existe déjà.',
  drill_running: 'Un exercice est déjà en cours dans cette région : terminez-le avant d’en lancer un autre.',
  drill_ended: 'Cet exercice est déjà terminé.',
  duplicate_post: 'Cette demande est déjà en cours de publication : rechargez la page pour la voir.',
  commune_busy:
    'Cette commune a des tâches ou un incident en cours : elle pourra changer de région quand ils seront terminés.',
  second_factor_required:
    'Votre rôle exige un second facteur : enregistrez une application d’authentification (Sécurité) avant toute autre chose.',
  second_factor_enabled: 'Vous avez déjà un second facteur : désactivez-le avant d’en enregistrer un autre.',
  no_second_factor: 'Ce compte n’a pas de second facteur.',
  no_enrolment: 'Commencez d’abord l’enregistrement.',
  enrolment_changed: 'L’enregistrement a changé entre-temps : recommencez-le.',
  self_change: 'Vous ne pouvez ni désactiver votre propre compte ni changer votre propre rôle.',
  too_many_requests: 'Trop de demandes : réessayez dans un moment.',
  body_too_large: 'La demande est trop volumineuse.',
  malformed_body: "La demande n'a pas pu être lue.",
  unsupported_media_type: "La demande n'a pas pu être lue.",
  bad_request: "La demande n'a pas pu être lue.",
  cross_site_request: 'La demande venait d’un autre site et a été refusée.',
  no_route: "Cette adresse n'existe pas dans l'API.",
  statement_closed: 'Un décompte clôturé couvre cette tâche : son temps ne peut plus être corrigé.',
  statement_overlap: 'Un décompte clôturé couvre déjà des jours de cette période.',
  commune_not_in_incident:
    "Cette commune n'est pas en incident : le coordinateur ne publie que pour une commune en incident.",
  idempotency_key_reused: 'Cette clé d’idempotence a déjà servi pour une autre demande.',
  idempotency_key_in_use: 'Une demande avec cette clé est encore en cours : réessayez dans un moment.',
  not_transferable: 'Seule une tâche prise en charge et pas encore commencée peut être transférée.',
  transfer_pending: 'Un transfert de cette tâche est déjà demandé : la commune qui la tient doit encore répondre.',
  transfer_closed: 'Cette demande de transfert a déjà reçu une réponse, expiré ou été annulée.',
  already_holder: 'Votre commune tient déjà cette tâche.',
  internal: "Une erreur s'est produite de notre côté. Si elle persiste, communiquez ce numéro : {instance}.",
};

/** What a problem document says, in `locale`. */
export function problemMessage(locale: Locale, problem: Problem): string {
  const english = problem.detail ?? problem.title;
  const text = locale === 'fr' && problem.code ? french[problem.code] : undefined;
  return text
    ? fillPlaceholders(text, {
        instance: problem.instance ?? '?',
        cap: problem.cap ?? '?',
        active: problem.active ?? '?',
      })
    : english;
}
