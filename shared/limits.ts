/** Limits shared by server and client, so both reject the same input with the same message. */
export const limits = {
  pageSizeDefault: 50,
  pageSizeMax: 100,
  jsonBodyBytes: 100 * 1024,
  bulkBodyBytes: 2 * 1024 * 1024,
  bulkRowsMax: 1000,
  titleMax: 200,
  detailsMax: 4000,
  noteMax: 2000,
  /** The longest search the board takes. */
  searchMax: 200,
  displayNameMax: 120,
  usernameMax: 64,
  passwordMin: 10,
  passwordMax: 200,
  changesPageMax: 500,
  /** Requests one live connection may send per window (board:sync). */
  socketEventsPerWindow: 20,
  socketWindowSeconds: 10,
  /** Failed logins allowed per username, then per address, within the window. */
  loginFailuresPerUsername: 10,
  loginFailuresPerAddress: 50,
  loginWindowMinutes: 15,
  /** How long after a right password the second factor's code may come. */
  secondFactorStepMinutes: 5,
  /** How long a one-time access code can be used after a coordinator issues it. */
  accessCodeHours: 24,
  /** The longest period an audit query or export covers. */
  auditPeriodDaysMax: 366,
  /** The longest a region may keep citizen data after a task is finished (10 years). */
  retentionDaysMax: 3650,
  /** Minutes a task may be said to have taken (one day). */
  minutesSpentMax: 1440,
  /** The highest hourly rate a region may set for its cost statements, in euro cents (1,000 €). */
  hourlyRateCentsMax: 100_000,
  /** The longest period a cost statement covers (a year). */
  statementPeriodDaysMax: 366,
  /** The tasks one paper run-sheet prints, and the lines one reconciliation types back. */
  runSheetTasksMax: 200,
  reconcileLinesMax: 500,
  /** The longest period a commune's hand-back journal covers (a year). */
  journalPeriodDaysMax: 366,
  /** An appointment's length, in minutes, and the longest place text it takes. */
  slotMinutesMin: 5,
  slotMinutesMax: 480,
  slotPlaceMax: 200,
  /** Public tracking look-ups (API and page together) allowed per address within the window. */
  trackingPerAddress: 30,
  trackingWindowMinutes: 15,
  /** Posts one integration token may make per minute. */
  integrationPostsPerMinute: 120,
  /** How long a post's Idempotency-Key and its answer are kept. */
  idempotencyKeyHours: 24,
  idempotencyKeyMax: 200,
  /** The hours a commune's burn-down shows by default, and at most (30 days). */
  burndownHoursDefault: 72,
  burndownHoursMax: 720,
  /** The last hours whose posted and finished tasks make a burn-down's current rates, and so its ETA. */
  burndownRateHours: 24,
  /** A capacity offer's tasks a day, and the longest period it covers (a year). */
  offerPerDayMax: 1000,
  offerPeriodDaysMax: 366,
  /** The suggestions one call answers by default, and at most. */
  suggestionsDefault: 20,
  suggestionsMax: 100,
} as const;
