import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'entraide' },
    // Never log a credential or citizen data, whatever a future log line passes in.
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.citizen', 'citizen'],
      censor: '[redacted]',
    },
  });
}
