import { sql } from 'drizzle-orm';
import type { RateLimiter } from '../../api/middleware/rate-limit.ts';
import type { Database } from '../../store/db.ts';
import { rateLimitWindows } from '../../store/schema/index.ts';

/**
 * Fixed one-minute windows counted in D1, shared by every isolate (the Redis limiter's twin). KV is
 * not used: its writes are eventually consistent and limited to one per second per key, so
 * concurrent hits would be lost. Old windows are pruned by the cron handler.
 */
export function d1RateLimiter(database: Database, now: () => number = () => Date.now()): RateLimiter {
  return {
    async hit(key, limitPerMinute) {
      const t = now();
      const window = Math.floor(t / 60_000);
      const row = await database.db
        .insert(rateLimitWindows)
        .values({ key, window, count: 1 })
        .onConflictDoUpdate({ target: [rateLimitWindows.key, rateLimitWindows.window], set: { count: sql`${rateLimitWindows.count} + 1` } })
        .returning({ count: rateLimitWindows.count })
        .get();
      if ((row?.count ?? 1) <= limitPerMinute) return 0;
      return Math.max(1, Math.ceil(((window + 1) * 60_000 - t) / 1000));
    },
  };
}
