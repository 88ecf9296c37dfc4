import { and, eq, inArray, isNotNull, lt, or } from 'drizzle-orm';
import type { Controller } from '../../controllers/runtime.ts';
import type { Logger } from '../../lib/logger.ts';
import { wakeAllControllers } from '../../queue/wake.ts';
import type { Database } from '../../store/db.ts';
import { clusters, operations, rateLimits, reconcileMarks, workerLeases } from '../../store/schema/index.ts';
import type { CloudflareWorkQueue } from './queue.ts';

/** A lease row that never expires, written once every running cluster's controllers have had a pass under timers. */
const TIMERS_ARMED = 'timers-armed';
/** Operations left PENDING this long lost their message (the send failed after the commit). */
const PENDING_OPERATION_MS = 60_000;
/** A RUNNING operation untouched this long lost its worker; every step is idempotent, so it is run again. */
const RUNNING_OPERATION_MS = 5 * 60_000;

export interface PeriodicDeps {
  database: Database;
  queue: CloudflareWorkQueue;
  controllers: Controller[];
  log: Logger;
}

/**
 * Timers are delayed messages, armed by passes. A deployment coming from the periodic tick (which
 * armed none) gets one pass of every controller of every running cluster, once: each arms its own
 * timer. Afterwards this costs one read a minute.
 */
export async function ensureTimersArmed(deps: PeriodicDeps): Promise<number> {
  const done = await deps.database.db.select({ name: workerLeases.name }).from(workerLeases).where(eq(workerLeases.name, TIMERS_ARMED)).get();
  if (done) return 0;
  const live = await deps.database.db
    .select({ id: clusters.id })
    .from(clusters)
    .where(inArray(clusters.status, ['RUNNING', 'UPDATING']))
    .all();
  for (const c of live) await wakeAllControllers(deps.queue, deps.controllers, c.id);
  await deps.database.db.insert(workerLeases).values({ name: TIMERS_ARMED, holder: 'timers', expiresAt: Number.MAX_SAFE_INTEGER }).onConflictDoNothing();
  if (live.length) deps.log.info({ clusters: live.length }, 'woke every controller of the running clusters to arm their timers');
  return live.length;
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
