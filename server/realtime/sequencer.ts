import type { Logger } from 'pino';
import type { Db } from '../db/client';

export type EventListener<T> = (numbered: T[]) => void;

/**
 * Hands out global sequence numbers to committed events and tells listeners about them, in order.
 *
 * A writer calls `kick()` after its transaction commits and answers without waiting: its write is
 * safe, and the number follows within a run. A reader of numbered events (the changes feed, a board
 * catching up, a task's history) calls `flush()` first, so that whatever committed before it asked
 * is numbered, on this instance or any other, and it reads its own writes. Runs never overlap in a
 * process: callers that arrive during a run share the next one, so a burst of writes costs a few
 * runs, not one each. Across processes the database lock orders the runs. A periodic sweep numbers
 * what a crashed request or another instance left behind.
 */
export class Sequencer<T> {
  private current: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private readonly listeners = new Set<EventListener<T>>();
  private timer: NodeJS.Timeout | undefined;

  /** `numberPending` numbers what has committed: the events (`sequencePending`), or the audit trail's entries. */
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly numberPending: (db: Db) => Promise<T[]>,
  ) {}

  onEvents(listener: EventListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The run under way, if any: it resolves once its events have gone to the listeners. */
  get running(): Promise<void> | undefined {
    return this.current;
  }

  /** Starts numbering what has committed so far, without waiting for it: for writers. */
  kick(): void {
    void this.flush();
  }

  /** Resolves once every event committed before the call has its number. Never rejects. */
  flush(): Promise<void> {
    if (!this.current) {
      this.current = this.run().finally(() => {
        this.current = undefined;
      });
      return this.current;
    }
    this.next ??= this.current.then(() => {
      this.next = undefined;
      return this.flush();
    });
    return this.next;
  }

  start(intervalMs = 1000): void {
    this.timer ??= setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.current;
    await this.next;
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        const batch = await this.numberPending(this.db);
        if (batch.length === 0) return;
        for (const listener of this.listeners) {
          try {
            listener(batch);
          } catch (err) {
            this.log.error({ err }, 'event listener failed');
          }
        }
        if (batch.length < 5000) return;
      }
    } catch (err) {
      // The events are committed; the sweep will number them once the database answers again.
      this.log.error({ err }, 'event sequencing failed');
    }
  }
}
