import type { ClaimBatcher } from '../db/claim-batcher';
import type { Db } from '../db/client';
import type { Sequencer } from '../realtime/sequencer';

/** What the domain functions need from the outside world. */
export interface DomainContext {
  db: Db;
  dataKey: Buffer;
  sequencer: Sequencer;
  /** Where claims go: they are run in batches. */
  claims: ClaimBatcher;
}
