import type { Context } from 'hono';
import { and, eq, isNull } from 'drizzle-orm';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { idempotencyKeys } from '../../store/schema/index.ts';
import { sha256Hex } from '../../lib/ids.ts';
import { IDEMPOTENCY_RETENTION_MS } from '../../services/housekeeping/idempotency-keys.ts';

/** A request holds its key at most this long; after that its process is taken to have died. */
const IN_FLIGHT_TTL_MS = 60_000;

/**
 * IETF Idempotency-Key semantics for a creating POST: the same key with the same body replays the
 * first answer; with a different body it is 422; while the first request is still in flight, 409.
 * Without the header the action simply runs. Answers are kept for IDEMPOTENCY_RETENTION_MS; an older
 * key counts as new (an hourly sweep deletes such records).
 */
export async function withIdempotency(
  c: Context<AppEnv>,
  tenantId: string,
  body: unknown,
  action: () => Promise<{ status: number; body: unknown }>,
): Promise<{ status: number; body: unknown }> {
  const key = c.req.header('idempotency-key');
  if (!key) return action();
  if (key.length > 255) throw new ApiError('BAD_REQUEST', 'Idempotency-Key must be at most 255 characters');
  const { database, clock } = c.get('deps');
  const hash = await sha256Hex(`${c.req.method} ${c.req.path} ${JSON.stringify(body)}`);
  const where = and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key));
  const found = await database.db.select().from(idempotencyKeys).where(where).get();
  const expired = found && clock.now() - found.createdAt >= IDEMPOTENCY_RETENTION_MS;
  if (expired) await database.atomicWrite([{ query: database.db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.createdAt, found.createdAt))) }]);
  const existing = expired ? undefined : found;
  if (existing) {
    if (existing.requestHash !== hash) throw new ApiError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request body');
    if (existing.status !== null) return { status: existing.status, body: JSON.parse(existing.response!) };
    if (clock.now() - existing.createdAt < IN_FLIGHT_TTL_MS)
      throw new ApiError('IDEMPOTENCY_KEY_IN_USE', 'a request with this Idempotency-Key is still being processed');
    // The process that held the key died mid-request: release it (only if nobody else did) and run again.
    await database.atomicWrite([
      { query: database.db.delete(idempotencyKeys).where(and(where, isNull(idempotencyKeys.status), eq(idempotencyKeys.createdAt, existing.createdAt))) },
    ]);
  }
  try {
    await database.atomicWrite([{ query: database.db.insert(idempotencyKeys).values({ tenantId, key, requestHash: hash, createdAt: clock.now() }) }]);
  } catch {
    // Lost the race to a concurrent request with the same key.
    throw new ApiError('IDEMPOTENCY_KEY_IN_USE', 'a request with this Idempotency-Key is still being processed');
  }
  try {
    const answer = await action();
    await database.atomicWrite([
      {
        query: database.db
          .update(idempotencyKeys)
          .set({ status: answer.status, response: JSON.stringify(answer.body) })
          .where(where),
      },
    ]);
    return answer;
  } catch (err) {
    // A failed attempt does not hold the key: the client may retry it.
    await database.atomicWrite([{ query: database.db.delete(idempotencyKeys).where(where) }]);
    throw err;
  }
}
