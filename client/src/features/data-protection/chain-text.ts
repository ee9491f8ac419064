import type { ChainReport } from '../../../../shared/schemas';
import type { Translate } from '../../i18n/translate';

/** A chain head as it is printed, kept and pasted back: `SEQ:HASH`. */
export const headText = (head: NonNullable<ChainReport['head']>) => `${head.seq}:${head.hash}`;

const fixed: Record<string, Parameters<Translate>[0]> = {
  'the head differs from the counter': 'chain.reason.headCounter',
  'the anchored head is no longer in the chain': 'chain.reason.anchorGone',
  'it does not follow the previous event of its task': 'chain.reason.notFollowingTask',
  'it does not follow the entry before it': 'chain.reason.notFollowingEntry',
  'its content does not match its hash': 'chain.reason.contentHash',
  'it breaks the global chain': 'chain.reason.globalChain',
};

/** Why a link is broken, in the interface's language; a reason not known here is shown as the server says it. */
export function chainReasonText(t: Translate, reason: string): string {
  const key = fixed[reason];
  if (key) return t(key);
  const missing = /^number (\d+) is missing$/.exec(reason);
  if (missing) return t('chain.reason.missing', { seq: missing[1] ?? '' });
  const gone = /^(\d+) were numbered, (\d+) are there: the last ones are gone$/.exec(reason);
  if (gone) return t('chain.reason.tailGone', { numbered: gone[1] ?? '', count: gone[2] ?? '' });
  return reason;
}
