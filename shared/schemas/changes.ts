import { z } from 'zod';
import { limits } from '../limits';
import { Incident } from './incidents';
import { PublicTask } from './tasks';

/** The global sequence number of a committed event: increasing in commit order. */
export const Seq = z.number().int().min(0);

export const BoardChange = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('task:created'), seq: Seq, at: z.string(), task: PublicTask }),
    z.object({ type: z.literal('task:updated'), seq: Seq, at: z.string(), task: PublicTask }),
    z.object({ type: z.literal('incident:updated'), seq: Seq, at: z.string(), incident: Incident }),
  ])
  .meta({ id: 'BoardChange' });
export type BoardChange = z.infer<typeof BoardChange>;

export const ChangesQuery = z.strictObject({
  since: z.coerce
    .number({ error: 'must be a sequence number (a whole number, 0 or more)' })
    .int('must be a sequence number (a whole number, 0 or more)')
    .min(0, 'must be a sequence number (a whole number, 0 or more)')
    .default(0),
  limit: z.coerce
    .number({ error: `must be a whole number from 1 to ${limits.changesPageMax}` })
    .int()
    .min(1)
    .max(limits.changesPageMax)
    .default(limits.changesPageMax),
});

export const ChangesPage = z
  .object({
    items: z.array(BoardChange),
    /** Pass as `since` to continue; equals `since` when nothing new has committed. */
    last: Seq,
    hasMore: z.boolean(),
    /** The newest sequence number when the page was read: a client that loads the board now starts here. */
    head: Seq,
  })
  .meta({ id: 'ChangesPage' });
export type ChangesPage = z.infer<typeof ChangesPage>;
