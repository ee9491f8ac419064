import type { Locale, WebhookEventName } from '../../../shared/schemas';

/**
 * Who hears of a task event, by its action: THE place to add a new kind of notification. An action
 * not listed here notifies no one and calls no webhook. The actor never gets their own act.
 *
 * - `requester_managers`: the managers of the commune that posted the task;
 * - `holder_clerks` / `holder_members`: the clerks (and managers) of the commune that holds it now;
 * - `previous_holder_clerks`: the clerks of the commune that held it before the event, unless one of
 *   them did it (a release by the coordinator or by the system);
 * - `transfer_asker`: the person who asked for the transfer the event answers, and the clerks of the
 *   commune it was asked for;
 * - `escalation`: an overdue task's escalation, level 1 to the holder's clerks and managers, level 2 to
 *   the region's coordinators.
 */
export type Audience =
  | 'requester_managers'
  | 'holder_clerks'
  | 'holder_members'
  | 'previous_holder_clerks'
  | 'transfer_asker'
  | 'escalation';

export interface NotificationRule {
  /** The name a webhook subscribes to. */
  webhookEvent: WebhookEventName;
  /** Who gets it in their inbox (and by e-mail when they have an address). */
  audiences: Audience[];
}

export const notificationRules: Readonly<Record<string, NotificationRule>> = {
  create: { webhookEvent: 'task.created', audiences: [] },
  claim: { webhookEvent: 'task.claimed', audiences: ['requester_managers'] },
  start: { webhookEvent: 'task.started', audiences: [] },
  complete: { webhookEvent: 'task.done', audiences: ['requester_managers'] },
  release: { webhookEvent: 'task.released', audiences: ['requester_managers', 'previous_holder_clerks'] },
  cancel: { webhookEvent: 'task.cancelled', audiences: ['holder_members'] },
  reassign: { webhookEvent: 'task.reassigned', audiences: ['holder_clerks', 'previous_holder_clerks'] },
  reminded: { webhookEvent: 'task.reminded', audiences: ['holder_clerks'] },
  transfer_requested: { webhookEvent: 'task.transfer_requested', audiences: ['holder_members'] },
  transfer_accepted: { webhookEvent: 'task.transferred', audiences: ['transfer_asker'] },
  transfer_declined: { webhookEvent: 'task.transfer_declined', audiences: ['transfer_asker'] },
  transfer_timed_out: { webhookEvent: 'task.transferred', audiences: ['transfer_asker', 'previous_holder_clerks'] },
  escalated: { webhookEvent: 'task.escalated', audiences: ['escalation'] },
  question: { webhookEvent: 'task.question', audiences: ['requester_managers'] },
  answer: { webhookEvent: 'task.answer', audiences: ['holder_clerks'] },
};

/** What a notification's wording is made of: no citizen data, no free text. */
export interface NotificationFacts {
  kind: string;
  taskLabel: string;
  taskCode: string | null;
  requestingCommuneName: string;
  holderCommuneName: string | null;
  actorCommuneName: string | null;
  bySystem: boolean;
}

type Wording = (f: NotificationFacts, who: string) => string;

const words: Record<Locale, { coordinator: string; system: string; kinds: Record<string, Wording>; other: Wording }> = {
  fr: {
    coordinator: 'la coordination',
    system: 'automatiquement',
    kinds: {
      claim: (_f, who) => `prise en charge par ${who}`,
      complete: (f) => `terminée par ${f.holderCommuneName ?? '?'}`,
      release: (f, who) => (f.bySystem ? 'relâchée automatiquement' : `relâchée par ${who}`) + ', de retour au tableau',
      cancel: (f) => `annulée par ${f.requestingCommuneName}`,
      reassign: (f) => `réattribuée à ${f.holderCommuneName ?? '?'} par la coordination`,
      reminded: () => 'rappel : prise en charge mais pas encore commencée',
      transfer_requested: (_f, who) => `${who} demande à reprendre cette tâche : acceptez ou refusez`,
      transfer_accepted: (f) => `transfert accepté, la tâche passe à ${f.holderCommuneName ?? '?'}`,
      transfer_declined: (_f, who) => `demande de transfert refusée par ${who}`,
      transfer_timed_out: (f) => `sans réponse, la tâche passe automatiquement à ${f.holderCommuneName ?? '?'}`,
      escalated: (f) => `en retard chez ${f.holderCommuneName ?? '?'} : à traiter en priorité`,
      question: (_f, who) => `${who} pose une question : la tâche attend votre réponse`,
      answer: (_f, who) => `${who} a répondu à votre question : la tâche reprend`,
    },
    other: (f) => `mise à jour (${f.kind})`,
  },
  en: {
    coordinator: 'the coordinator',
    system: 'automatically',
    kinds: {
      claim: (_f, who) => `claimed by ${who}`,
      complete: (f) => `done by ${f.holderCommuneName ?? '?'}`,
      release: (f, who) => (f.bySystem ? 'released automatically' : `released by ${who}`) + ', back on the board',
      cancel: (f) => `cancelled by ${f.requestingCommuneName}`,
      reassign: (f) => `reassigned to ${f.holderCommuneName ?? '?'} by the coordinator`,
      reminded: () => 'reminder: claimed and not started yet',
      transfer_requested: (_f, who) => `${who} asks to take this task over: accept or decline`,
      transfer_accepted: (f) => `transfer accepted, the task moves to ${f.holderCommuneName ?? '?'}`,
      transfer_declined: (_f, who) => `transfer request declined by ${who}`,
      transfer_timed_out: (f) => `unanswered, the task moved automatically to ${f.holderCommuneName ?? '?'}`,
      escalated: (f) => `overdue at ${f.holderCommuneName ?? '?'}: to be dealt with first`,
      question: (_f, who) => `${who} asks a question: the task waits for your answer`,
      answer: (_f, who) => `${who} answered your question: the task goes on`,
    },
    other: (f) => `updated (${f.kind})`,
  },
};

/** The notification's title in the reader's language: "Certificat LIE-7K3Q9 : prise en charge par Verviers". */
export function notificationTitle(locale: Locale, f: NotificationFacts): string {
  const w = words[locale];
  const who = f.bySystem ? w.system : (f.actorCommuneName ?? w.coordinator);
  const subject = f.taskCode ? `${f.taskLabel} ${f.taskCode}` : f.taskLabel;
  const what = (w.kinds[f.kind] ?? w.other)(f, who);
  return locale === 'fr' ? `${subject} : ${what}` : `${subject}: ${what}`;
}
