/**
 * A dependency the request needs (Redis, the database) cannot answer right now. Requests that meet
 * one fail at once with 503 and Retry-After instead of waiting for it to come back.
 */
export class UnavailableError extends Error {
  constructor(
    readonly dependency: 'redis' | 'database',
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
    this.name = 'UnavailableError';
  }
}

/**
 * SQLite result codes (better-sqlite3's `code`, D1's message) that mean the database is busy or its
 * storage failed, not that the statement was wrong: retrying later can succeed.
 */
const DATABASE_UNAVAILABLE = /\bSQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PROTOCOL|NOTADB|CORRUPT)\w*/;

/** The UnavailableError behind `err` (itself, a cause, or a database outage), if any. */
export function asUnavailable(err: unknown): UnavailableError | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof UnavailableError) return e;
    const code = (e as { code?: unknown }).code;
    const text = `${typeof code === 'string' ? code : ''} ${e instanceof Error ? e.message : ''}`;
    const m = DATABASE_UNAVAILABLE.exec(text);
    if (m) return new UnavailableError('database', `the database is unavailable (${m[0]})`);
  }
  return undefined;
}
