import type { KubeObject } from '../../kube/types.ts';
import type { Controller } from '../runtime.ts';
import { CreateAdmission } from '../shared/admission.ts';
import { groupByNamespace } from '../shared/group.ts';
import { controllerOf } from '../shared/owners.ts';
import { Pass } from '../shared/pass.ts';
import { hasTrackingFinalizer } from './finalizers.ts';
import { releaseFinalizers, syncJob } from './sync.ts';
import { listCached } from '../shared/object-cache.ts';

/** The Job controller: runs pods to completion, counts them exactly once, retries with back-off. */
export const jobController: Controller = {
  name: 'job',
  // A create that quota or a LimitRange refused is tried again when they change (upstream requeues with back-off).
  watches: ['jobs.batch', 'pods', 'resourcequotas', 'limitranges'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'job-controller');
    const [jobs, pods] = await Promise.all([listCached(ctx, 'jobs.batch'), listCached(ctx, 'pods')]);
    const podsIn = groupByNamespace(pods);
    const admission = new CreateAdmission(ctx.store, ctx.clusterId);
    for (const job of jobs) {
      if (pass.exhausted) break;
      await syncJob(pass, job, podsIn(job.metadata.namespace ?? ''), admission);
    }
    // Pods still holding the tracking finalizer for a Job that no longer exists must not stay forever.
    const jobUids = new Set(jobs.map((j) => j.metadata.uid));
    const stranded = pods.filter((pod: KubeObject) => hasTrackingFinalizer(pod) && !jobUids.has(controllerOf(pod)?.uid));
    if (stranded.length && !pass.exhausted) await releaseFinalizers(pass, stranded);
    return pass.result();
  },
};
