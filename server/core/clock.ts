/** Where the time comes from: the system's, or a test's that moves only when told (timeouts, retention). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
