import { statusWords } from './message-catalogue-tasks';
import { said, text } from './message-entry';

/**
 * The catalogue's words about administration (regions, communes, task types, accounts, access codes,
 * integration tokens), the second factor, recoveries, transfers, reports, data protection and bulk
 * posting (server/core/message-catalogue.ts).
 */
export const adminMessages = {
  // Regions, communes, task types.
  region_exists: said(
    (p: { name: string }) => `A region named ${p.name} exists already.`,
    (p) => `Une région nommée ${p.name} existe déjà.`,
  ),
  commune_exists: said(
    (p: { code: string; prefix?: string }) =>
      `A commune with code ${p.code}${p.prefix ? ` or with task code prefix ${p.prefix}` : ''} exists already.`,
    (p) => `Une commune de code ${p.code}${p.prefix ? ` ou de préfixe de tâches ${p.prefix}` : ''} existe déjà.`,
  ),
  commune_not_created: text('The commune was not created.', 'La commune n’a pas été créée.'),
  commune_not_changed: text('The commune was not changed.', 'La commune n’a pas été modifiée.'),
  task_type_exists: said(
    (p: { key: string }) => `A task type ${p.key} exists already.`,
    (p) => `Un type de tâche ${p.key} existe déjà.`,
  ),

  // Accounts.
  account_not_created: text('The account was not created.', 'Le compte n’a pas été créé.'),
  account_not_changed: text('The account was not changed.', 'Le compte n’a pas été modifié.'),
  username_taken: said(
    (p: { username: string }) => `The username ${p.username} is taken.`,
    (p) => `Le nom d’utilisateur ${p.username} est déjà pris.`,
  ),
  self_change: text(
    'You cannot deactivate your own account or change your own role.',
    'Vous ne pouvez ni désactiver votre propre compte ni changer votre propre rôle.',
  ),
  self_password_reset: text(
    'You cannot reset your own password here: sign in and change it.',
    'Vous ne pouvez pas réinitialiser votre propre mot de passe ici : connectez-vous et changez-le.',
  ),
  code_for_deactivated: text(
    'This account is deactivated: reactivate it before giving it an access code.',
    'Ce compte est désactivé : réactivez-le avant de lui donner un code d’accès.',
  ),

  // Integration tokens.
  token_commune_required: text(
    'Choose the commune the token posts for.',
    'Choisissez la commune pour laquelle le jeton publie.',
  ),
  manager_tokens_own_commune: text(
    'A manager creates tokens only for their own commune.',
    'Un gestionnaire ne crée de jetons que pour sa propre commune.',
  ),
  manager_sees_own_commune_tokens: text(
    'A manager sees only their own commune’s tokens.',
    'Un gestionnaire ne voit que les jetons de sa propre commune.',
  ),

  // The second factor.
  second_factor_enabled: text(
    'You have a second factor already: turn it off first to enrol another.',
    'Vous avez déjà un second facteur : désactivez-le d’abord pour en enregistrer un autre.',
  ),
  no_second_factor: text('This account has no second factor.', 'Ce compte n’a pas de second facteur.'),
  no_enrolment: text(
    'Start the enrolment first: no secret is waiting.',
    'Commencez d’abord l’enregistrement : aucun secret n’est en attente.',
  ),
  enrolment_changed: text(
    'The enrolment changed meanwhile: start it again.',
    'L’enregistrement a changé entre-temps : recommencez-le.',
  ),
  recovery_code_wrong: text(
    'The recovery code is not an unused recovery code of your account.',
    'Ce code de secours n’est pas un code inutilisé de votre compte.',
  ),
  own_second_factor_reset: text(
    'Another administrator must reset your own second factor.',
    'Un autre administrateur doit réinitialiser votre propre second facteur.',
  ),

  // Recoveries.
  recovery_confirmed_already: text(
    'This recovery is confirmed already.',
    'Cette récupération de compte est déjà confirmée.',
  ),
  recovery_own_account: text(
    'Someone else must confirm the recovery of your own account.',
    'Quelqu’un d’autre doit confirmer la récupération de votre propre compte.',
  ),
  recovery_given_by_you: text(
    'You gave this account its way in: someone else must confirm it.',
    'C’est vous qui avez rendu l’accès à ce compte : quelqu’un d’autre doit le confirmer.',
  ),

  // Transfers.
  transfer_of_open_task: text(
    'This task is open: claim it instead of asking for a transfer.',
    'Cette tâche est ouverte : prenez-la en charge au lieu de demander un transfert.',
  ),
  transfer_wrong_status: said(
    (p: { status: string }) =>
      `This task is ${p.status.replace('_', ' ')}: only a claimed task not yet started can be transferred.`,
    (p) =>
      `Cette tâche est ${statusWords[p.status]?.fr ?? p.status} : seule une tâche prise en charge et pas encore commencée peut être transférée.`,
  ),
  transfer_commune_invalid: text('The task cannot go to that commune.', 'La tâche ne peut pas aller à cette commune.'),
  transfer_commune_required: text(
    'Name the commune the task should go to.',
    'Indiquez la commune à laquelle la tâche doit aller.',
  ),
  transfer_already_holder: text('Your commune already holds this task.', 'Votre commune détient déjà cette tâche.'),
  transfer_own_task: text(
    'Your commune posted this task: another commune must take it.',
    'Votre commune a publié cette tâche : une autre commune doit la prendre.',
  ),

  // Reports, run-sheets, bulk posting, data protection, audit.
  day_to_come: text('There is no report of a day to come.', 'Il n’y a pas de rapport d’un jour à venir.'),
  statement_not_closed: text('The statement was not closed.', 'Le décompte n’a pas été clôturé.'),
  run_sheet_duplicates: text('The run-sheet names a task twice.', 'La feuille de route cite une tâche deux fois.'),
  bulk_not_a_batch: text(
    'Send a JSON array of tasks, or CSV with the template header.',
    'Envoyez un tableau JSON de tâches, ou un CSV avec l’en-tête du modèle.',
  ),
  bulk_empty: text('The batch has no task in it.', 'Le lot ne contient aucune tâche.'),
  settings_not_changed: text('The settings were not changed.', 'Les réglages n’ont pas été modifiés.'),
  anchor_invalid: text('The anchored head is not valid.', 'La tête ancrée n’est pas valide.'),
  socket_request_invalid: said(
    (p: { event: string }) => `The ${p.event} request is not valid.`,
    (p) => `La demande ${p.event} n’est pas valide.`,
  ),
};
