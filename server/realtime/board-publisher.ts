import type { Logger } from 'pino';
import type { Db } from '../db/client';
import { lastSequence, numberedAfter, type SequencedEvent } from '../db/events';

const PAGE = 1000;

/**
 * Hands this instance's sockets every numbered event exactly once and in sequence order, whichever
 * instance numbered it. Events this process numbers arrive straight from its sequencer; when a
 * notification (or the periodic check) says that the head moved past what it has published, it reads
 * the missing events from the table, in order. Order and completeness therefore never depend on the
 * order in which notifications or adapter messages arrive.
 */
export class BoardPublisher {
  /** The last sequence number handed to the queue: everything up to it will be published, in order. */
  private queuedUpTo = 0;
  private readonly queue: SequencedEvent[][] = [];
  private draining = false;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  /** Times it read events from the table rather than getting them from this process's sequencer. */
  reads = 0;

  /**
   * `localRun` gives this process's sequencer run under way, if any: a notification often arrives
   * before that run has handed over the very events it announces.
   */
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly emit: (batch: SequencedEvent[]) => void,
    private readonly localRun: () => Promise<void> | undefined = () => undefined,
  ) {}

  /** Starts from the current head: sockets that connect later ask for what came before. */
  async start(pollMs = 1000): Promise<void> {
    this.queuedUpTo = await lastSequence(this.db);
    this.timer = setInterval(() => this.catchUp(), pollMs);
    this.timer.unref();
  }

  /** A batch this process has just numbered: published at once when it follows what was published. */
  numbered(batch: SequencedEvent[]): void {
    const first = batch[0];
    const last = batch[batch.length - 1];
    if (!first || !last) return;
    if (!this.running && first.seq === this.queuedUpTo + 1) {
      this.enqueue(batch);
      return;
    }
    this.catchUp();
  }

  /**
   * A notification: some run handed out numbers up to `lastSeq` (any instance's). Nothing to read
   * when this process numbered them itself and has queued them already.
   */
  heard(lastSeq: number): void {
    if (!Number.isSafeInteger(lastSeq)) {
      this.catchUp();
      return;
    }
    if (lastSeq <= this.queuedUpTo) return;
    // The commit's notification can overtake the run's own answer: let the run hand its events over first.
    const run = this.localRun();
    if (!run) {
      this.catchUp();
      return;
    }
    void run.then(() => {
      if (lastSeq > this.queuedUpTo) this.catchUp();
    });
  }

  /** Reads and publishes whatever has been numbered since the last event published. */
  catchUp(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.readAll().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.catchUp();
      }
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Writing to every socket takes a while with many of them: it happens on the next turn of the event
   * loop, so the request whose commit produced the events answers first.
   */
  private enqueue(batch: SequencedEvent[]): void {
    this.queue.push(batch);
    this.queuedUpTo = (batch[batch.length - 1] as SequencedEvent).seq;
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => {
      this.draining = false;
      for (const queued of this.queue.splice(0)) {
        try {
          this.emit(queued);
        } catch (err) {
          this.log.error({ err }, 'publishing board events failed');
        }
      }
    });
  }

  private async readAll(): Promise<void> {
    try {
      for (;;) {
        this.reads++;
        const batch = await numberedAfter(this.db, this.queuedUpTo, PAGE);
        if (batch.length === 0) return;
        this.enqueue(batch);
        if (batch.length < PAGE) return;
      }
    } catch (err) {
      this.log.warn({ err }, 'reading board events failed; the next check retries');
    }
  }
}
