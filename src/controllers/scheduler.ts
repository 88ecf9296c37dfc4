import type { Controller } from './runtime.ts';
import { runSchedulingPass, type SchedulingPassOptions } from '../scheduler/pass.ts';

/**
 * kube-scheduler as a per-cluster controller: each pass places every pod waiting for
 * `default-scheduler` (bounded per pass), re-running when pods, nodes or volumes change and after
 * the back-off of pods that could not be placed.
 */
export function createSchedulerController(opts: SchedulingPassOptions = {}): Controller {
  return {
    name: 'scheduler',
    watches: ['pods', 'nodes', 'persistentvolumeclaims', 'persistentvolumes'],
    reconcile: (ctx) => runSchedulingPass(ctx, opts),
  };
}

export const schedulerController = createSchedulerController();
