import { sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Database } from './store/db.ts';

/** One dependency's probe: resolves when it answers, rejects (or times out) when it does not. */
export type ReadinessCheck = () => Promise<unknown>;

/** A check that takes longer than this counts as down: /readyz must answer fast itself. */
const CHECK_TIMEOUT_MS = 1_500;

export const databaseCheck =
  (database: Database): ReadinessCheck =>
  async () =>
    database.db.get(sql`select 1`);

async function probe(check: ReadinessCheck): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)));
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/readyz`: 200 when every dependency answers, else 503 with Retry-After and what failed, so a load
 * balancer stops sending traffic while Redis or the database is down. `/healthz` stays the liveness
 * answer (the process itself is fine and will recover by itself).
 */
export async function readinessResponse(c: Context, checks: Record<string, ReadinessCheck>): Promise<Response> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((n) => probe(checks[n])));
  const report = Object.fromEntries(names.map((n, i) => [n, results[i]]));
  const ready = results.every((r) => r === 'ok');
  if (!ready) c.header('Retry-After', '1');
  return c.json({ status: ready ? 'ok' : 'unavailable', checks: report }, ready ? 200 : 503);
}
