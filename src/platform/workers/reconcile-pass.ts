import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Controller } from '../../controllers/runtime.ts';
import { runControllerPass, type PassDeps } from '../../queue/runner.ts';
import { randomString } from '../../lib/ids.ts';
import type { Database } from '../../store/db.ts';
import { reconcileMarks } from '../../store/schema/index.ts';
import type { D1Drizzle } from './d1.ts';
import type { CloudflareWorkQueue } from './queue.ts';

/** A pass that outlives this is taken as crashed and its lock as free (same bound as the BullMQ lock). */
export const PASS_LOCK_MS = 60_000;

export interface ReconcileMessageDeps extends PassDeps {
  database: Database & { d1: D1Drizzle };
  queue: CloudflareWorkQueue;
  controllerByName: Map<string, Controller>;
}

/**
 * Handles one reconcile message: clears the pending mark, takes the (cluster, controller) lock and
 * clears `dirty` in the same batch, runs the pass, releases the lock and reads `dirty` back in one
 * statement. A message that finds the lock held just ends: the holder sees `dirty` and runs again.
 */
export async function runReconcileMessage(deps: ReconcileMessageDeps, clusterId: string, controllerName: string, timerDues: number[] = []): Promise<'ran' | 'locked' | 'unknown'> {
  const controller = deps.controllerByName.get(controllerName);
  if (!controller) return 'unknown';
  const { db, d1 } = deps.database;
  const key = and(eq(reconcileMarks.clusterId, clusterId), eq(reconcileMarks.controller, controllerName));
  const token = randomString(12);
  const now = Date.now();
  const [, locked] = (await d1.batch([
    // A delayed message frees its timer slot, so the pass can set the next timer (time on a Worker
    // only moves with I/O, so "due ≤ now" alone may not yet hold when the message arrives).
    timerDues.length === 0
      ? db.update(reconcileMarks).set({ pendingAt: null }).where(key)
      : db
          .update(reconcileMarks)
          .set({ pendingAt: null, timerDue: sql`CASE WHEN ${inArray(reconcileMarks.timerDue, timerDues)} THEN NULL ELSE ${reconcileMarks.timerDue} END` })
          .where(key),
    // An upsert, so a message whose mark row is gone (pruned, or sent before the row existed) still runs.
    db
      .insert(reconcileMarks)
      .values({ clusterId, controller: controllerName, lockToken: token, lockUntil: now + PASS_LOCK_MS, dirty: 0 })
      .onConflictDoUpdate({
        target: [reconcileMarks.clusterId, reconcileMarks.controller],
        set: { lockToken: token, lockUntil: now + PASS_LOCK_MS, dirty: 0 },
        setWhere: or(isNull(reconcileMarks.lockUntil), lt(reconcileMarks.lockUntil, now)),
      })
      .returning({ clusterId: reconcileMarks.clusterId }),
  ])) as [unknown, unknown[]];
  if (!locked.length) return 'locked';

  let outcome;
  let dirty = false;
  try {
    outcome = await runControllerPass(deps, controller, clusterId);
  } finally {
    const released = await db
      .update(reconcileMarks)
      .set({ lockToken: null, lockUntil: null })
      .where(and(key, eq(reconcileMarks.lockToken, token)))
      .returning({ dirty: reconcileMarks.dirty })
      .all();
    dirty = released[0]?.dirty === 1;
  }
  if (outcome.skipped) return 'ran';
  if (outcome.result.more || dirty) await deps.queue.enqueueReconcile(clusterId, controllerName);
  if (outcome.requeueAfterRealMs !== undefined) await deps.queue.enqueueReconcile(clusterId, controllerName, outcome.requeueAfterRealMs);
  return 'ran';
}
