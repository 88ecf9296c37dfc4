import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Controller } from '../../controllers/runtime.ts';
import type { PassDeps } from '../../queue/runner.ts';
import { PASS_LOCK_MS, SAME_TIMER_MS, runPassProtocol, type Delivery, type PassMarks } from '../../queue/pass-protocol.ts';
import type { Database } from '../../store/db.ts';
import { reconcileMarks } from '../../store/schema/index.ts';
import type { D1Drizzle } from './d1.ts';
import type { CloudflareWorkQueue } from './queue.ts';
import { delaySecondsFor } from './messages.ts';

export interface ReconcileMessageDeps extends PassDeps {
  database: Database & { d1: D1Drizzle };
  queue: CloudflareWorkQueue;
  controllerByName: Map<string, Controller>;
}

const keyOf = (clusterId: string, controller: string) => and(eq(reconcileMarks.clusterId, clusterId), eq(reconcileMarks.controller, controller));

/** The pass contract (`PassMarks`, src/queue/pass-protocol.ts) on a `reconcile_marks` row per key. */
export class D1PassMarks implements PassMarks {
  constructor(
    private readonly database: Database & { d1: D1Drizzle },
    private readonly queue: CloudflareWorkQueue,
  ) {}

  async begin(clusterId: string, controller: string, token: string, delivery: Delivery): Promise<'begun' | 'locked' | 'stale'> {
    const { db, d1 } = this.database;
    const key = keyOf(clusterId, controller);
    const now = Date.now();
    const dues = delivery.timerDues;
    const lockFree = or(isNull(reconcileMarks.lockUntil), lt(reconcileMarks.lockUntil, now));
    // Timers alone run a pass only while one of them is still the armed one (or none is armed).
    const current = delivery.wake ? undefined : or(isNull(reconcileMarks.timerDue), dues.length ? inArray(reconcileMarks.timerDue, dues) : sql`0`);
    const [locked, , armed] = (await d1.batch([
      // An upsert, so a message whose mark row is gone (pruned, or sent before the row existed) still runs.
      db
        .insert(reconcileMarks)
        .values({ clusterId, controller, lockToken: token, lockUntil: now + PASS_LOCK_MS, dirty: 0 })
        .onConflictDoUpdate({
          target: [reconcileMarks.clusterId, reconcileMarks.controller],
          set: { lockToken: token, lockUntil: now + PASS_LOCK_MS, dirty: 0 },
          setWhere: current ? and(lockFree, current) : lockFree,
        })
        .returning({ clusterId: reconcileMarks.clusterId }),
      // A wake-up frees `pending`; a timer that came due frees its slot, so the pass (or the lock's
      // holder) sets the next one (time on a Worker only moves with I/O, so "due ≤ now" may not yet hold).
      db
        .update(reconcileMarks)
        .set({
          ...(delivery.wake ? { pendingAt: null } : {}),
          ...(dues.length
            ? { timerDue: sql`CASE WHEN ${inArray(reconcileMarks.timerDue, dues)} THEN NULL ELSE ${reconcileMarks.timerDue} END` }
            : { dirty: sql`${reconcileMarks.dirty}` }),
        })
        .where(key),
      db.select({ timerDue: reconcileMarks.timerDue, lockToken: reconcileMarks.lockToken }).from(reconcileMarks).where(key),
    ])) as [unknown[], unknown, Array<{ timerDue: number | null; lockToken: string | null }>];
    if (locked.length) return 'begun';
    return armed[0]?.lockToken !== token && !delivery.wake && armed[0]?.timerDue != null && !dues.includes(armed[0].timerDue) ? 'stale' : 'locked';
  }

  async setTimer(clusterId: string, controller: string, afterMs: number | undefined): Promise<void> {
    const { db } = this.database;
    if (afterMs === undefined) {
      await db
        .update(reconcileMarks)
        .set({ timerDue: null })
        .where(and(keyOf(clusterId, controller), sql`${reconcileMarks.timerDue} IS NOT NULL`));
      return;
    }
    const due = Date.now() + afterMs;
    const claimed = await db
      .insert(reconcileMarks)
      .values({ clusterId, controller, timerDue: due })
      .onConflictDoUpdate({
        target: [reconcileMarks.clusterId, reconcileMarks.controller],
        set: { timerDue: due },
        setWhere: sql`${reconcileMarks.timerDue} IS NULL OR abs(${reconcileMarks.timerDue} - ${due}) > ${SAME_TIMER_MS}`,
      })
      .returning({ timerDue: reconcileMarks.timerDue })
      .all();
    if (!claimed.length) return;
    // A message cannot be taken back: the one sent for the slot's previous due time finds it changed and runs nothing.
    try {
      await this.queue.send({ kind: 'reconcile', clusterId, controller, timerDue: due }, Math.max(1, delaySecondsFor(due - Date.now())));
    } catch (err) {
      // Not sent: leave the slot empty so the retried pass arms it again.
      await db
        .update(reconcileMarks)
        .set({ timerDue: null })
        .where(and(keyOf(clusterId, controller), eq(reconcileMarks.timerDue, due)));
      throw err;
    }
  }

  async end(clusterId: string, controller: string, token: string): Promise<boolean> {
    const released = await this.database.db
      .update(reconcileMarks)
      .set({ lockToken: null, lockUntil: null })
      .where(and(keyOf(clusterId, controller), eq(reconcileMarks.lockToken, token)))
      .returning({ dirty: reconcileMarks.dirty })
      .all();
    return released[0]?.dirty === 1;
  }

  wake(clusterId: string, controller: string): Promise<void> {
    return this.queue.enqueueReconcile(clusterId, controller);
  }
}

/**
 * Handles the messages of one (cluster, controller) key in a batch as one delivery. A message that
 * finds the lock held just ends: the holder sees `dirty` and runs again.
 */
export async function runReconcileMessage(
  deps: ReconcileMessageDeps,
  clusterId: string,
  controllerName: string,
  delivery: Delivery = { wake: true, timerDues: [] },
): Promise<'ran' | 'locked' | 'stale' | 'unknown'> {
  const controller = deps.controllerByName.get(controllerName);
  if (!controller) return 'unknown';
  const run = await runPassProtocol(new D1PassMarks(deps.database, deps.queue), deps, controller, clusterId, delivery);
  return run.status;
}
