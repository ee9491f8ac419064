import { groupTrackingCode, type DeliveryMode, type TaskStatus, type TrackingAnswer } from '../../../shared/schemas';
import { NotFoundError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { trackingHash } from '../../crypto/tracking-code';
import { findTracked } from './tracking-repo';

type Words = TrackingAnswer['statusText'];

const statusWords: Record<TaskStatus, Words> = {
  open: {
    fr: 'Reçue : elle attend qu’une commune la prenne en charge.',
    en: 'Received: waiting for a commune to take it on.',
  },
  claimed: { fr: 'Prise en charge par une commune.', en: 'Taken on by a commune.' },
  in_progress: { fr: 'En cours de traitement.', en: 'Being processed.' },
  waiting_info: {
    fr: 'En attente d’une précision de votre administration communale.',
    en: 'Waiting for a detail from your town hall.',
  },
  done: { fr: 'Traitée : votre document est prêt.', en: 'Done: your document is ready.' },
  cancelled: {
    fr: 'Annulée. Contactez votre administration communale.',
    en: 'Cancelled. Please contact your town hall.',
  },
};

function collectWords(mode: DeliveryMode, requestedOf: string, handledBy: string | null): Words {
  switch (mode) {
    case 'pickup_helper':
      return handledBy
        ? {
            fr: `À retirer à l’administration communale de ${handledBy}.`,
            en: `To collect at the town hall of ${handledBy}.`,
          }
        : {
            fr: 'À retirer à l’administration communale qui la traitera : elle sera indiquée ici.',
            en: 'To collect at the town hall that will handle it: it will be shown here.',
          };
    case 'post':
      return { fr: 'Envoyé par la poste.', en: 'Sent by post.' };
    case 'e_guichet':
      return { fr: `Sur l’e-guichet de ${requestedOf}.`, en: `On the e-guichet of ${requestedOf}.` };
  }
}

export class UnknownTrackingCode extends NotFoundError {
  constructor() {
    super('tracking code');
  }
}

/**
 * What a tracking code says, to anyone who holds it: the status in words, the communes and where to
 * collect the document; never a name, a title or details. `code` is already normalised (13 characters).
 */
export async function trackTask(ctx: DomainContext, code: string): Promise<TrackingAnswer> {
  // The same work whether the code exists or not: one HMAC, one index look-up.
  const row = await findTracked(ctx.db, trackingHash(ctx.dataKey, code));
  if (!row) throw new UnknownTrackingCode();
  return {
    code: groupTrackingCode(code),
    status: row.status,
    statusText: statusWords[row.status],
    requestedOf: { name: row.requestedOf },
    handledBy: row.handledBy === null ? null : { name: row.handledBy },
    deliveryMode: row.deliveryMode,
    collectText: collectWords(row.deliveryMode, row.requestedOf, row.handledBy),
    updatedAt: row.updatedAt.toISOString(),
  };
}
