import { and, eq, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { Controller } from '../../controllers/runtime.ts';
import type { Logger } from '../../lib/logger.ts';
import { randomString } from '../../lib/ids.ts';
import type { Database } from '../../store/db.ts';
import { clusters, operations, rateLimits, reconcileMarks, workerLeases } from '../../store/schema/index.ts';
import type { CloudflareWorkQueue } from './queue.ts';

const TICK_LEASE = 'tick';
/** How late a tick message may arrive before its chain is taken as lost and another may start. */
const TICK_LEASE_SLACK_MS = 30_000;
/** Operations left PENDING this long lost their message (the send failed after the commit). */
const PENDING_OPERATION_MS = 60_000;
/** A RUNNING operation untouched this long lost its worker; every step is idempotent, so it is run again. */
const RUNNING_OPERATION_MS = 5 * 60_000;

export interface PeriodicDeps {
  database: Database;
  queue: CloudflareWorkQueue;
  controllers: Controller[];
  log: Logger;
  /** Real ms between ticks (TICK_MS); Queues delays are whole seconds, so at least 1 s here. */
  tickMs: number;
}

export function tickDelaySeconds(tickMs: number): number {
  return Math.max(1, Math.round(tickMs / 1000));
}

/**
 * One beat of the periodic fan-out (heartbeats, HPA, CronJobs... every `periodic` controller of every
 * running cluster). Cron Triggers fire at most once a minute, so the beat is a chain of delayed
 * queue messages that reschedules itself; a lease in D1 lets only one chain live, and the chain stops
 * when no cluster is running (scale to zero) until a cluster operation or the cron starts it again.
 */
export async function runTick(deps: PeriodicDeps, chain: string): Promise<'ticked' | 'duplicate' | 'idle'> {
  const delaySeconds = tickDelaySeconds(deps.tickMs);
  const now = Date.now();
  const expiresAt = now + delaySeconds * 1000 + TICK_LEASE_SLACK_MS;
  const held = await deps.database.db
    .insert(workerLeases)
    .values({ name: TICK_LEASE, holder: chain, expiresAt })
    .onConflictDoUpdate({
      target: workerLeases.name,
      set: { holder: chain, expiresAt },
      setWhere: sql`${workerLeases.holder} = ${chain} OR ${workerLeases.expiresAt} < ${now}`,
    })
    .returning({ holder: workerLeases.holder })
    .all();
  if (!held.length) return 'duplicate';

  const live = await deps.database.db.select({ id: clusters.id }).from(clusters).where(inArray(clusters.status, ['RUNNING', 'UPDATING'])).all();
  if (!live.length) {
    await deps.database.db.delete(workerLeases).where(and(eq(workerLeases.name, TICK_LEASE), eq(workerLeases.holder, chain)));
    return 'idle';
  }
  const periodic = deps.controllers.filter((c) => c.periodic);
  await Promise.all(live.flatMap((c) => periodic.map((ctl) => deps.queue.enqueueReconcile(c.id, ctl.name))));
  await deps.queue.send({ kind: 'tick', chain }, delaySeconds);
  return 'ticked';
}

/** Starts a tick chain unless one holds a live lease. Cheap: one read when a chain is running. */
export async function ensureTicking(deps: PeriodicDeps): Promise<boolean> {
  const lease = await deps.database.db.select().from(workerLeases).where(eq(workerLeases.name, TICK_LEASE)).get();
  if (lease && lease.expiresAt >= Date.now()) return false;
  await deps.queue.send({ kind: 'tick', chain: randomString(10) });
  return true;
}

/** Re-sends operations whose message was lost (Node does this at start; Workers have no start). */
export async function resumeStalledOperations(deps: PeriodicDeps): Promise<number> {
  const now = Date.now();
  const stalled = await deps.database.db
    .select({ id: operations.id })
    .from(operations)
    .where(
      or(
        and(eq(operations.status, 'PENDING'), lt(operations.createdAt, now - PENDING_OPERATION_MS)),
        and(eq(operations.status, 'RUNNING'), isNotNull(operations.startedAt), lt(operations.startedAt, now - RUNNING_OPERATION_MS)),
      ),
    )
    .all();
  for (const op of stalled) await deps.queue.enqueueOperation(op.id);
  if (stalled.length) deps.log.warn({ operations: stalled.map((o) => o.id) }, 're-sent stalled operations');
  return stalled.length;
}

/** Drops rate-limit keys whose budget is whole again (a past TAT is as good as none) and the marks of deleted clusters. */
export async function pruneWorkerState(deps: PeriodicDeps): Promise<void> {
  await deps.database.atomicWrite([
    { query: deps.database.db.delete(rateLimits).where(lt(rateLimits.tat, Date.now())) },
    {
      query: deps.database.db
        .delete(reconcileMarks)
        .where(inArray(reconcileMarks.clusterId, deps.database.db.select({ id: clusters.id }).from(clusters).where(eq(clusters.status, 'DELETED')))),
    },
  ]);
}
