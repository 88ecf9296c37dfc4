import type { Controller } from '../controllers/runtime.ts';
import { randomString } from '../lib/ids.ts';
import { runControllerPass, type PassDeps, type PassOutcome } from './runner.ts';

/**
 * How long a pass may hold its (cluster, controller) lock before another worker may take over.
 * Passes are bounded to about a second of work; a worker that dies mid-pass blocks its key only
 * this long. One bound for every transport (Redis, D1).
 */
export const PASS_LOCK_MS = 30_000;

/**
 * Two timers whose real due times are this close are the same timer: passes that compute the same
 * cluster-clock due time land a millisecond or two apart, and re-arming for that would be waste.
 */
export const SAME_TIMER_MS = 5;

/** What a delivery of a (cluster, controller) key carries: a wake-up now, and/or timers that came due. */
export interface Delivery {
  /** A write (or `more`, or a clock change) asked for this pass. */
  wake: boolean;
  /** The real due times of the timer deliveries folded into this pass. */
  timerDues: number[];
}

/**
 * The pass-lock and coalescing contract every transport keeps, per (cluster, controller) key:
 *
 * - `pending`: at most one undelivered wake-up. A wake-up sets `dirty` and, unless `pending` is
 *   set, sets it and sends one job/message. Beginning a pass clears `pending`, so a write after
 *   that sends again.
 * - `dirty`: a write arrived. Beginning a pass clears it; if it is set again when the pass ends,
 *   the pass is woken once more (what it read may be stale).
 * - `lock`: passes of one key never overlap, in any process. Taken with a token for PASS_LOCK_MS;
 *   a delivery that finds it held ends at once (the holder will see `dirty`).
 * - `timer`: exactly one armed timer, at the real due time of the latest pass's `requeueAfterMs`.
 *   It is set while the lock is held, so the newest pass's answer wins; no answer disarms it. A
 *   timer delivery whose due time is no longer the armed one is stale and runs nothing.
 *
 * The Redis adapter keeps these as keys (Lua for the steps that must be atomic), the D1 adapter as
 * a `reconcile_marks` row.
 */
export interface PassMarks {
  /** Clears `pending` (for wake-ups), takes the lock and clears `dirty`; frees the slot of a timer that came due. */
  begin(clusterId: string, controller: string, token: string, delivery: Delivery): Promise<'begun' | 'locked' | 'stale'>;
  /** Arms the key's one timer this many real ms from now (replacing any other), or disarms it. Called holding the lock. */
  setTimer(clusterId: string, controller: string, afterRealMs: number | undefined): Promise<void>;
  /** Releases the lock if it is still ours; tells whether a wake-up arrived meanwhile. */
  end(clusterId: string, controller: string, token: string): Promise<boolean>;
  /** A coalesced wake-up (sets `dirty`, sends at most one pending delivery). */
  wake(clusterId: string, controller: string): Promise<void>;
}

export type PassRun = { status: 'ran'; outcome: PassOutcome } | { status: 'locked' | 'stale' };

/**
 * One delivery of a (cluster, controller) key, the same on every transport: begin, run the pass,
 * arm its timer, end, and wake again when it stopped at its bound or writes came meanwhile.
 */
export async function runPassProtocol(marks: PassMarks, deps: PassDeps, controller: Controller, clusterId: string, delivery: Delivery): Promise<PassRun> {
  const token = randomString(12);
  const began = await marks.begin(clusterId, controller.name, token, delivery);
  if (began !== 'begun') return { status: began };
  let outcome: PassOutcome;
  let dirty = false;
  try {
    outcome = await runControllerPass(deps, controller, clusterId);
    // A cluster that is not running keeps no timer: it gets one pass of each controller when it runs again.
    await marks.setTimer(clusterId, controller.name, outcome.skipped ? undefined : outcome.requeueAfterRealMs);
  } finally {
    dirty = await marks.end(clusterId, controller.name, token);
  }
  if (!outcome.skipped && (outcome.result.more || dirty)) await marks.wake(clusterId, controller.name);
  return { status: 'ran', outcome };
}
