import { eq, sql } from 'drizzle-orm';
import type { RateLimiter } from '../../api/middleware/rate-limit.ts';
import type { Database } from '../../store/db.ts';
import { rateLimits } from '../../store/schema/index.ts';
import { gcra, retryAfterSeconds } from '../../lib/gcra.ts';

/**
 * GCRA (src/lib/gcra.ts) in D1, shared by every isolate (the Redis limiter's twin): an allowed hit is
 * one upsert whose update only happens while the key is within its burst, so concurrent hits cannot
 * overspend. KV is not used: its writes are eventually consistent and limited to one per second per
 * key. Keys whose TAT has passed are pruned by the cron handler.
 */
export function d1RateLimiter(database: Database, now: () => number = () => Date.now()): RateLimiter {
  const { db } = database;
  return {
    async hit(key, rate, cost = 1) {
      const t = now();
      const step = cost * rate.intervalMs;
      if (cost <= 0) {
        await db
          .update(rateLimits)
          .set({ tat: sql`max(${rateLimits.tat} + ${step}, ${t})` })
          .where(eq(rateLimits.key, key))
          .run();
        return 0;
      }
      const spent = await db
        .insert(rateLimits)
        .values({ key, tat: t + step })
        .onConflictDoUpdate({
          target: rateLimits.key,
          set: { tat: sql`max(${rateLimits.tat}, ${t}) + ${step}` },
          setWhere: sql`max(${rateLimits.tat}, ${t}) + ${step} - ${t} <= ${rate.burst * rate.intervalMs}`,
        })
        .returning({ tat: rateLimits.tat })
        .get();
      if (spent) return 0;
      const row = await db.select({ tat: rateLimits.tat }).from(rateLimits).where(eq(rateLimits.key, key)).get();
      const outcome = gcra(row?.tat, t, rate, cost);
      return outcome.allowed ? 0 : retryAfterSeconds(outcome.retryAfterMs);
    },
  };
}
