import type { Clock } from '../../server/core/clock';

/** A clock that moves only when told: timeouts and retention are tested without waiting. */
export class ManualClock implements Clock {
  private at: number;

  constructor(start = Date.now()) {
    this.at = start;
  }

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at += ms;
  }

  /** Puts the clock at `ms` since the epoch (back or forward). */
  set(ms: number): void {
    this.at = ms;
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
