import { said, text } from './message-entry';

/** A task's or an incident's status, as a sentence says it. */
export const statusWords: Record<string, { en: string; fr: string }> = {
  open: { en: 'open', fr: 'ouverte' },
  claimed: { en: 'claimed', fr: 'prise en charge' },
  in_progress: { en: 'in progress', fr: 'en cours' },
  waiting_info: { en: 'waiting info', fr: 'en attente d’information' },
  done: { en: 'done', fr: 'terminée' },
  cancelled: { en: 'cancelled', fr: 'annulée' },
};

/** What cannot be done to a task any more. */
const actionWords: Record<string, { en: string; fr: string }> = {
  update: { en: 'edited', fr: 'modifiée' },
  start: { en: 'started', fr: 'commencée' },
  complete: { en: 'completed', fr: 'terminée' },
  release: { en: 'released', fr: 'relâchée' },
  cancel: { en: 'cancelled', fr: 'annulée' },
  reassign: { en: 'reassigned', fr: 'réattribuée' },
  correct_time: { en: 'given another time', fr: 'corrigée dans son temps' },
  question: { en: 'put on hold for a question', fr: 'mise en attente d’une question' },
  answer: { en: 'answered', fr: 'répondue' },
};

const incidentStatusWords: Record<string, string> = {
  active: 'actif',
  recovering: 'en rétablissement',
  closed: 'clos',
};

/** The catalogue's words about tasks and incidents (server/core/message-catalogue.ts). */
export const taskMessages = {
  forbidden_update: text(
    'Only a manager of the requesting commune can edit this task.',
    'Seul un gestionnaire de la commune demandeuse peut modifier cette tâche.',
  ),
  forbidden_start: text(
    'Only a clerk of the commune that claimed this task can start it.',
    'Seul un agent de la commune qui a pris cette tâche en charge peut la commencer.',
  ),
  forbidden_complete: text(
    'Only a clerk of the commune that claimed this task can complete it.',
    'Seul un agent de la commune qui a pris cette tâche en charge peut la terminer.',
  ),
  forbidden_release: text(
    "Only the claiming commune's clerks or the region's coordinator can release this task.",
    'Seuls les agents de la commune qui l’a prise en charge ou le coordinateur de la région peuvent relâcher cette tâche.',
  ),
  forbidden_cancel: text(
    'Only a manager of the requesting commune can cancel this task.',
    'Seul un gestionnaire de la commune demandeuse peut annuler cette tâche.',
  ),
  forbidden_reassign: text(
    "Only the region's coordinator can reassign a task.",
    'Seul le coordinateur de la région peut réattribuer une tâche.',
  ),
  forbidden_correct_time: text(
    'Only a clerk of the commune that did this task can correct its time.',
    'Seul un agent de la commune qui a fait cette tâche peut corriger son temps.',
  ),
  forbidden_question: text(
    'Only a clerk of the commune that claimed this task can ask the requesting commune a question about it.',
    'Seul un agent de la commune qui a pris cette tâche en charge peut poser une question à la commune demandeuse.',
  ),
  forbidden_answer: text(
    'Only a manager of the requesting commune can answer the question on this task.',
    'Seul un gestionnaire de la commune demandeuse peut répondre à la question posée sur cette tâche.',
  ),
  only_region_members_see_tasks: text(
    'Only the people of a region see its tasks.',
    'Seules les personnes de la région voient ses tâches.',
  ),
  only_clerks_claim: text(
    'Only a clerk can claim a task for their commune.',
    'Seul un agent peut prendre une tâche en charge pour sa commune.',
  ),
  only_managers_post: text(
    "Only a commune's manager, or the region's coordinator for a commune in incident, can post tasks.",
    'Seuls le gestionnaire d’une commune, ou le coordinateur de la région pour une commune en incident, publient des tâches.',
  ),
  own_commune_only: text(
    'You can post tasks only for your own commune.',
    'Vous ne publiez des tâches que pour votre propre commune.',
  ),
  token_own_commune_only: text(
    'This integration token posts tasks only for its own commune.',
    'Ce jeton d’intégration ne publie des tâches que pour sa propre commune.',
  ),
  only_managers_and_coordinators_export: text(
    "Only a commune's manager or the region's coordinator exports tasks.",
    'Seuls le gestionnaire d’une commune ou le coordinateur de la région exportent les tâches.',
  ),
  only_requesting_manager_sees_reads: text(
    "Only a manager of the requesting commune can see who read this task's citizen data.",
    'Seul un gestionnaire de la commune demandeuse voit qui a lu les données du citoyen de cette tâche.',
  ),
  stale_version: said(
    (p: { current: number; had: number }) =>
      `Someone changed this task meanwhile (version ${p.current}, you had ${p.had}). Here it is as it is now.`,
    (p) =>
      `Quelqu’un a modifié cette tâche entre-temps (version ${p.current}, vous aviez la ${p.had}). La voici telle qu’elle est.`,
  ),
  invalid_transition: said(
    (p: { status: string; action: string }) =>
      `This task is ${statusWords[p.status]?.en ?? p.status}: it cannot be ${actionWords[p.action]?.en ?? p.action} now.`,
    (p) =>
      `Cette tâche est ${statusWords[p.status]?.fr ?? p.status} : elle ne peut pas être ${actionWords[p.action]?.fr ?? p.action} maintenant.`,
  ),
  claim_own_task: text(
    'Your commune posted this task: another commune must claim it.',
    'Votre commune a publié cette tâche : une autre commune doit la prendre en charge.',
  ),
  claim_cap: said(
    (p: { cap: number; active: number }) =>
      `Your commune already holds ${p.active} active claims, and the region allows ${p.cap} at most: ` +
      'start, finish or release one before claiming another.',
    (p) =>
      `Votre commune tient déjà ${p.active} prise(s) en charge active(s), et la région en permet ${p.cap} au plus : ` +
      'commencez, terminez ou relâchez-en une avant d’en prendre une autre.',
  ),
  claim_cap_asker: said(
    (p: { commune: string; cap: number; active: number }) =>
      `${p.commune} already holds ${p.active} active claims, and the region allows ${p.cap} at most: ` +
      'it must start, finish or release one before it can take this task.',
    (p) =>
      `${p.commune} tient déjà ${p.active} prise(s) en charge active(s), et la région en permet ${p.cap} au plus : ` +
      'elle doit en commencer, terminer ou relâcher une avant de pouvoir prendre cette tâche.',
  ),
  already_claimed: said(
    (p: { holder: string | null }) => `${p.holder ?? 'Another commune'} claimed this task first.`,
    (p) => `${p.holder ?? 'Une autre commune'} a pris cette tâche en charge en premier.`,
  ),
  claimed_no_longer: said(
    (p: { status: string }) => `This task is ${statusWords[p.status]?.en ?? p.status} and can no longer be claimed.`,
    (p) => `Cette tâche est ${statusWords[p.status]?.fr ?? p.status} et ne peut plus être prise en charge.`,
  ),
  statement_closed: text(
    'A closed cost statement covers this task: its time can no longer change.',
    'Un décompte clôturé couvre cette tâche : son temps ne peut plus changer.',
  ),
  commune_not_in_incident: said(
    (p: { commune: string }) =>
      `${p.commune} is not in incident: the coordinator posts tasks only for a commune in incident.`,
    (p) =>
      `${p.commune} n’est pas en incident : le coordinateur ne publie des tâches que pour une commune en incident.`,
  ),
  duplicate_post: text(
    'This task is being posted already; reload to see it.',
    'Cette tâche est déjà en cours de publication ; rechargez la page pour la voir.',
  ),
  task_not_posted: text(
    'The task was not posted: please correct the fields listed.',
    'La tâche n’a pas été publiée : corrigez les champs indiqués.',
  ),
  batch_not_posted: said(
    (p: { rows: number }) => `No task was posted: ${p.rows} row(s) need correcting.`,
    (p) => `Aucune tâche n’a été publiée : ${p.rows} ligne(s) à corriger.`,
  ),
  task_commune_invalid: text('The task cannot go to that commune.', 'La tâche ne peut pas aller à cette commune.'),

  only_managers_declare: text(
    "Only the commune's manager or the region's coordinator can declare an incident.",
    'Seuls le gestionnaire de la commune ou le coordinateur de la région déclarent un incident.',
  ),
  only_managers_change_incident: text(
    "Only the commune's manager or the region's coordinator can change this incident.",
    'Seuls le gestionnaire de la commune ou le coordinateur de la région modifient cet incident.',
  ),
  incident_commune_required: text(
    'Say which commune the incident strikes.',
    'Indiquez la commune que l’incident frappe.',
  ),
  incident_open: said(
    (p: { commune: string }) => `${p.commune} already has an open incident: update that one instead.`,
    (p) => `${p.commune} a déjà un incident ouvert : mettez-le à jour plutôt que d’en déclarer un autre.`,
  ),
  incident_stale: text(
    'Someone changed this incident meanwhile. Here it is as it is now.',
    'Quelqu’un a modifié cet incident entre-temps. Le voici tel qu’il est.',
  ),
  incident_transition: said(
    (p: { from: string; to: string }) => `This incident is ${p.from}: it cannot become ${p.to}.`,
    (p) =>
      `Cet incident est ${incidentStatusWords[p.from] ?? p.from} : il ne peut pas devenir ${incidentStatusWords[p.to] ?? p.to}.`,
  ),
};
