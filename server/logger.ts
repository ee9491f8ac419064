import pino, { type Logger, type LoggerOptions } from 'pino';

/** A PostgreSQL error, as pg and PGlite raise it: its SQLSTATE and where it arose. */
interface DatabaseError extends Error {
  code: string;
  severity: string;
  routine?: string;
  constraint?: string;
  table?: string;
  column?: string;
}
const isDatabaseError = (err: Error): err is DatabaseError =>
  typeof (err as Partial<DatabaseError>).code === 'string' &&
  typeof (err as Partial<DatabaseError>).severity === 'string';

/**
 * Errors as the logs keep them. A failed query's error carries its parameters (drizzle puts them in
 * `params` and in its message), and PostgreSQL's own message, detail and context quote the values
 * too: a parameter can be a name someone searched for. So a database error is logged by its SQLSTATE,
 * routine and constraint, and a failed query by its statement, never by their values.
 */
export function withoutQueryParameters(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const cause = err.cause === undefined ? {} : { cause: withoutQueryParameters(err.cause) };
  // Each error says its own frames; its causes follow as objects of their own.
  const stack = (err.stack ?? '').split('\ncaused by:')[0]?.replace(/\nparams:[^\n]*/g, '');
  if (isDatabaseError(err)) {
    const { code, severity, routine, constraint, table, column } = err;
    return {
      type: err.name,
      message: `${severity} ${code}${routine ? ` in ${routine}` : ''}`,
      code,
      constraint,
      table,
      column,
      stack: stack?.split('\n').slice(1).join('\n'),
      ...cause,
    };
  }
  const { query, code } = err as { query?: unknown; code?: unknown };
  return {
    type: err.constructor.name,
    message: err.message.split('\nparams:')[0] ?? '',
    ...(typeof query === 'string' ? { query } : {}),
    // A system error's code (ECONNREFUSED…) says what went wrong without any data.
    ...(typeof code === 'string' ? { code } : {}),
    stack,
    ...cause,
  };
}

const options: LoggerOptions = {
  base: { service: 'entraide' },
  serializers: { err: withoutQueryParameters },
  // Never log a credential or citizen data, whatever a future log line passes in.
  redact: {
    paths: [
      'req.headers.cookie',
      'req.headers.authorization',
      'res.headers["set-cookie"]',
      '*.password',
      '*.citizen',
      'citizen',
    ],
    censor: '[redacted]',
  },
};

/** JSON lines on stdout, or on `destination` (the tests read them). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return destination ? pino({ ...options, level }, destination) : pino({ ...options, level });
}
