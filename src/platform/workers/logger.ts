import type { Logger } from '../../lib/logger.ts';

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * JSON lines on the console, the shape pino writes on Node (level number, time, msg, bindings), so
 * Workers Logs and `wrangler tail` show the same records as the Node deployment's stdout.
 */
export function consoleLogger(level: string, bindings: Record<string, unknown> = { service: 'kates' }): Logger {
  const threshold = LEVELS[level as keyof typeof LEVELS] ?? LEVELS.info;
  const write = (lvl: Level, obj: object | string, msg?: string) => {
    if (LEVELS[lvl] < threshold) return;
    const fields = typeof obj === 'string' ? { msg: obj } : { ...obj, ...(msg !== undefined ? { msg } : {}) };
    const line = JSON.stringify({ level: LEVELS[lvl], time: new Date().toISOString(), ...bindings, ...fields }, errorsAsText);
    if (lvl === 'error') console.error(line);
    else if (lvl === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    debug: (obj, msg) => write('debug', obj, msg),
    info: (obj, msg) => write('info', obj, msg),
    warn: (obj, msg) => write('warn', obj, msg),
    error: (obj, msg) => write('error', obj, msg),
    child: (more) => consoleLogger(level, { ...bindings, ...more }),
  };
}

function errorsAsText(_key: string, value: unknown): unknown {
  return value instanceof Error ? { message: value.message, stack: value.stack } : value;
}
