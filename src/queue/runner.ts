import { eq } from 'drizzle-orm';
import type { Database, PreparedQuery } from '../store/db.ts';
import type { ObjectStore } from '../store/objects.ts';
import type { Clock } from '../lib/clock.ts';
import { clusterTime } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { clusters } from '../store/schema/index.ts';
import { storeEventRecorder } from '../kube/events.ts';
import type { Controller, ReconcileResult } from '../controllers/runtime.ts';
import { CUSTOM_RESOURCES, isCustomResourceKey } from '../controllers/shared/resource-keys.ts';

export interface PassDeps {
  database: Database;
  store: ObjectStore;
  clock: Clock;
  log: Logger;
  /** Enqueue a pass of another controller (cluster-clock delay). */
  trigger(clusterId: string, controller: string, afterMs?: number): void;
}

/**
 * Timers never fire sooner than this in real time: at timeScale 3600 a 10 s heartbeat would be 3 ms.
 * Controllers compute from the cluster clock, so a coarser wake-up only batches more work per pass.
 */
export const MIN_REQUEUE_REAL_MS = 250;

/** The cluster's state and clock, read at the start of every pass: prepared once per database. */
const clusterRows = new WeakMap<Database, PreparedQuery<{ id: string }>>();
function passClusterRow(database: Database): PreparedQuery<{ id: string }> {
  let query = clusterRows.get(database);
  if (!query) {
    query = database.prepare<{ id: string }>((db, bind) =>
      db
        .select({ status: clusters.status, timeScale: clusters.timeScale, originMs: clusters.clockOriginMs, skewMs: clusters.clockSkewMs })
        .from(clusters)
        .where(eq(clusters.id, bind('id'))),
    );
    clusterRows.set(database, query);
  }
  return query;
}

/** Cluster states in which controllers run. */
const ACTIVE = new Set(['RUNNING', 'UPDATING']);

export interface PassOutcome {
  result: ReconcileResult;
  /** Real-time milliseconds from the pass's end until `requeueAfterMs` (cluster time) falls due at this cluster's timeScale. */
  requeueAfterRealMs?: number;
  skipped?: boolean;
}

/**
 * Runs one pass of one controller over one cluster: builds its context (cluster clock, event
 * recorder, logger), runs it and reports when to come back. The transport (BullMQ, Cloudflare Queues)
 * owns coalescing, locking and retries; this owns the contract with controllers.
 */
export async function runControllerPass(deps: PassDeps, controller: Controller, clusterId: string): Promise<PassOutcome> {
  const row = await passClusterRow(deps.database).get<{ status: string; timeScale: number; originMs: number; skewMs: number }>({ id: clusterId });
  if (!row || !ACTIVE.has(row.status)) return { result: {}, skipped: true };
  // Re-read the skew on every call so a clock advance made elsewhere is seen within the pass.
  const now = () => clusterTime(deps.clock.now(), row);
  const log = deps.log.child({ clusterId, controller: controller.name });
  const startedAtReal = deps.clock.now();
  const result =
    (await controller.reconcile({
      clusterId,
      store: deps.store,
      now,
      log,
      events: storeEventRecorder(deps.store, clusterId, now),
      trigger: (name, afterMs) => deps.trigger(clusterId, name, afterMs),
    })) ?? {};
  if (result.requeueAfterMs === undefined) return { result };
  // Counted from the pass's start, when controllers read the clock, not from its end.
  const elapsed = Math.max(0, deps.clock.now() - startedAtReal);
  return { result, requeueAfterRealMs: Math.max(MIN_REQUEUE_REAL_MS, Math.ceil(result.requeueAfterMs / row.timeScale) - elapsed) };
}

/** The names of the controllers one commit should wake: each controller once, however many of its resources it touched. */
export function controllersWokenBy(all: Controller[], events: Iterable<{ resource: string }>): string[] {
  const touched = new Set([...events].map((e) => e.resource));
  const custom = [...touched].some(isCustomResourceKey);
  return all.filter((c) => c.watches.some((r) => touched.has(r) || (custom && r === CUSTOM_RESOURCES))).map((c) => c.name);
}
