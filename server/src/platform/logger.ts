/** The one logger (pino). Request-scoped children carry the request id on every line. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'hcp360' },
    // Never log secrets, even by accident: tokens, passwords and WeChat session keys.
    redact: {
      paths: ['req.headers.authorization', '*.password', '*.refreshToken', '*.token', '*.session_key', 'session_key'],
      censor: '[redacted]',
    },
  });
}
