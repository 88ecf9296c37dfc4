import type { Controller } from './runtime.ts';
import { runSchedulingPass, type SchedulingPassOptions } from '../scheduler/pass.ts';
import { PendingIndex } from '../scheduler/pending-index.ts';
import { needsPass } from '../scheduler/queue.ts';

/**
 * kube-scheduler as a per-cluster controller: each pass places every pod waiting for
 * `default-scheduler` (bounded per pass), re-running when pods, nodes or volumes change and after
 * the back-off of pods that could not be placed.
 */
export function createSchedulerController(opts: SchedulingPassOptions = {}): Controller {
  // Lets passes woken by pod churn skip listing when nothing waits (a per-process cache).
  const index = new PendingIndex((pod) => needsPass(pod, opts.schedulerName));
  return {
    name: 'scheduler',
    watches: ['pods', 'nodes', 'persistentvolumeclaims', 'persistentvolumes'],
    reconcile: (ctx) => runSchedulingPass(ctx, opts, index),
  };
}

export const schedulerController = createSchedulerController();
