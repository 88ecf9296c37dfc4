import pino from 'pino';
import type { Logger } from '../lib/logger.ts';

/** JSON logs on stdout (pino), one line per event. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'kates' }, timestamp: pino.stdTimeFunctions.isoTime }) as unknown as Logger;
}
