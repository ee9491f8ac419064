import type { BoardChange, ChangesPage } from './schemas';

/** A broadcast as the feed sees it: a change, and the region's previous sequence number. */
export type LiveChange = BoardChange & { prev: number };

export interface BoardFeedOptions {
  /** Everything up to this sequence number is already on the client (from a page load, say). */
  since: number;
  /** Asks the server for the changes after `since` (`board:sync`, or GET /api/v1/changes). */
  sync: (since: number) => Promise<ChangesPage>;
  /** Applies one change to the board; called once per change, in sequence order. */
  apply: (change: BoardChange) => void;
  onError?: (error: unknown) => void;
}

/**
 * Keeps a board in step with the server: applies live changes in sequence order, ignores the ones it
 * has already applied, and, when a change's predecessor is missing (a dropped connection, a missed
 * broadcast), fetches what it missed before going on. Call `resync()` after every (re)connection.
 */
export class BoardFeed {
  /** Every change of the region up to this number has been applied. */
  private covered: number;
  private waiting: LiveChange[] = [];
  private syncing: Promise<void> | undefined;

  constructor(private readonly options: BoardFeedOptions) {
    this.covered = options.since;
  }

  get position(): number {
    return this.covered;
  }

  receive(change: LiveChange): void {
    if (change.seq <= this.covered) return;
    if (this.syncing || change.prev > this.covered) {
      this.waiting.push(change);
      void this.resync();
      return;
    }
    this.options.apply(change);
    this.covered = change.seq;
  }

  /** Fetches and applies everything after the current position; concurrent calls share one run. */
  resync(): Promise<void> {
    if (!this.syncing) {
      const run: Promise<void> = this.catchUp().finally(() => {
        if (this.syncing === run) this.syncing = undefined;
      });
      this.syncing = run;
    }
    return this.syncing;
  }

  private async catchUp(): Promise<void> {
    try {
      for (;;) {
        const page = await this.options.sync(this.covered);
        for (const change of page.items) {
          if (change.seq > this.covered) this.options.apply(change);
        }
        // `last` may pass the last item: nothing of this region lies between them.
        this.covered = Math.max(this.covered, page.last);
        if (!page.hasMore) break;
      }
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    // Caught up: what arrived meanwhile is applied now, and a new gap among it starts a new run.
    const waiting = this.waiting.sort((a, b) => a.seq - b.seq);
    this.waiting = [];
    this.syncing = undefined;
    for (const change of waiting) this.receive(change);
  }
}
