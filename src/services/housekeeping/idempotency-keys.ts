import { lt } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import { idempotencyKeys } from '../../store/schema/index.ts';

/**
 * How long a completed Idempotency-Key replays its answer. A day covers any sane client retry
 * window (the same retention the big payment APIs give); after it the key may be used afresh.
 */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3_600_000;

/** Deletes Idempotency-Key records older than the retention (answered or abandoned alike). */
export async function sweepIdempotencyKeys(database: Database, nowMs: number): Promise<void> {
  const stale = lt(idempotencyKeys.createdAt, nowMs - IDEMPOTENCY_RETENTION_MS);
  await database.atomicWrite([{ query: database.db.delete(idempotencyKeys).where(stale) }]);
}
