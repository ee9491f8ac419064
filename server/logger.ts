import pino, { type Logger, type LoggerOptions } from 'pino';

const options: LoggerOptions = {
  base: { service: 'entraide' },
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
