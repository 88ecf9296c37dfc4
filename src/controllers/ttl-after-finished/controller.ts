import type { Job } from '../../kube/objects.ts';
import { requestDeletion } from '../../kube/deletion.ts';
import type { Controller } from '../runtime.ts';
import { Pass } from '../shared/pass.ts';
import { timestampMs } from '../shared/pod-state.ts';
import { listCached } from '../shared/object-cache.ts';

/** When a Job finished: the lastTransitionTime of its Complete or Failed condition. */
export function jobFinishedAt(job: Job): number | undefined {
  const c = (job.status?.conditions ?? []).find((x: { type: string; status: string }) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c ? timestampMs(c.lastTransitionTime) : undefined;
}

/**
 * The TTL-after-finished controller: a finished Job with ttlSecondsAfterFinished is deleted, with
 * its pods (foreground cascade, as the upstream controller does), once the TTL has run out.
 */
export const ttlAfterFinishedController: Controller = {
  name: 'ttl-after-finished',
  watches: ['jobs.batch'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'ttl-after-finished-controller');
    const jobs = await listCached(ctx, 'jobs.batch');
    for (const job of jobs) {
      if (pass.exhausted) break;
      const ttl = job.spec?.ttlSecondsAfterFinished;
      if (typeof ttl !== 'number' || job.metadata.deletionTimestamp) continue;
      const finished = jobFinishedAt(job);
      if (finished === undefined) continue;
      const expireAt = finished + ttl * 1000;
      if (expireAt > pass.nowMs) {
        pass.wakeAt(expireAt);
        continue;
      }
      await pass.attempt(() =>
        requestDeletion(ctx.store, ctx.clusterId, 'jobs.batch', job.metadata.namespace ?? '', job.metadata.name!, {
          propagationPolicy: 'Foreground',
          preconditions: { uid: job.metadata.uid },
        }),
      );
    }
    return pass.result();
  },
};
