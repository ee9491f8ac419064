import { webhookEventNames } from '../../../shared/schemas';
import { notificationRules, notificationTitle, type NotificationFacts } from './notification-rules';

const facts = (over: Partial<NotificationFacts>): NotificationFacts => ({
  kind: 'claim',
  taskLabel: 'Certificat de résidence',
  taskCode: null,
  requestingCommuneName: 'Liège',
  holderCommuneName: 'Verviers',
  actorCommuneName: 'Verviers',
  bySystem: false,
  ...over,
});

describe('notification rules', () => {
  it('tells the requesting managers of a claim and a completion, the holder of a cancellation', () => {
    expect(notificationRules.claim?.audiences).toEqual(['requester_managers']);
    expect(notificationRules.complete?.audiences).toEqual(['requester_managers']);
    expect(notificationRules.cancel?.audiences).toEqual(['holder_members']);
    expect(notificationRules.reassign?.audiences).toContain('holder_clerks');
    expect(notificationRules.update).toBeUndefined();
  });

  it('tells the holder of a transfer request, the asker of its answer, and escalates by level', () => {
    expect(notificationRules.transfer_requested?.audiences).toEqual(['holder_members']);
    for (const answer of ['transfer_accepted', 'transfer_declined', 'transfer_timed_out'])
      expect(notificationRules[answer]?.audiences).toContain('transfer_asker');
    expect(notificationRules.transfer_timed_out?.audiences).toContain('previous_holder_clerks');
    expect(notificationRules.escalated?.audiences).toEqual(['escalation']);
    expect(notificationTitle('fr', facts({ kind: 'transfer_requested', actorCommuneName: 'Spa' }))).toBe(
      'Certificat de résidence : Spa demande à reprendre cette tâche : acceptez ou refusez',
    );
    expect(notificationTitle('en', facts({ kind: 'transfer_timed_out', actorCommuneName: null, bySystem: true }))).toBe(
      'Certificat de résidence: unanswered, the task moved automatically to Verviers',
    );
  });

  it('names only webhook events that exist', () => {
    for (const rule of Object.values(notificationRules)) expect(webhookEventNames).toContain(rule.webhookEvent);
  });

  it('words a title in French and English, with the code when there is one', () => {
    expect(notificationTitle('fr', facts({ taskCode: 'LIE-7K3Q9' }))).toBe(
      'Certificat de résidence LIE-7K3Q9 : prise en charge par Verviers',
    );
    expect(notificationTitle('en', facts({ taskLabel: 'Residence certificate' }))).toBe(
      'Residence certificate: claimed by Verviers',
    );
    expect(notificationTitle('en', facts({ kind: 'release', actorCommuneName: null }))).toBe(
      'Certificat de résidence: released by the coordinator, back on the board',
    );
    expect(notificationTitle('fr', facts({ kind: 'release', actorCommuneName: null, bySystem: true }))).toBe(
      'Certificat de résidence : relâchée automatiquement, de retour au tableau',
    );
    expect(notificationTitle('en', facts({ kind: 'something_new' }))).toBe(
      'Certificat de résidence: updated (something_new)',
    );
  });
});
