import type { Job } from '../../kube/objects.ts';
import type { Controller } from '../runtime.ts';
import { controllerOf } from '../shared/owners.ts';
import { Pass } from '../shared/pass.ts';
import { syncCronJob } from './sync.ts';
import { listCached } from '../shared/object-cache.ts';

/**
 * The CronJob controller: starts Jobs on schedule in the cluster's clock. Its timer is the earliest
 * next schedule time of its CronJobs; writes to CronJobs and their Jobs wake it too.
 */
export const cronJobController: Controller = {
  name: 'cronjob',
  watches: ['cronjobs.batch', 'jobs.batch'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'cronjob-controller');
    const cronJobs = await listCached(ctx, 'cronjobs.batch');
    if (cronJobs.length === 0) return pass.result();
    const jobs = await listCached(ctx, 'jobs.batch');
    const byOwner = new Map<string, Job[]>();
    for (const job of jobs) {
      const owner = controllerOf(job);
      if (owner?.kind !== 'CronJob') continue;
      byOwner.set(owner.uid, [...(byOwner.get(owner.uid) ?? []), job]);
    }
    for (const cj of cronJobs) {
      if (pass.exhausted) break;
      await syncCronJob(pass, cj, byOwner.get(cj.metadata.uid!) ?? []);
    }
    return pass.result();
  },
};
