import type { CronJob, Job } from '../../kube/objects.ts';
import { newControllerRef } from '../shared/owners.ts';
import { defaultJob } from '../../kube/defaults/workloads.ts';
import { rfc3339InZone, scheduledJobName } from './schedule.ts';

export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/**
 * getJobFromTemplate2: the Job for one schedule time, owned by the CronJob, named after the time,
 * annotated with it. The uid is chosen here so the API's Job defaulting can derive the selector
 * and pod labels from it, as it would on create (the controller writes to the store directly).
 */
export function jobFromTemplate(cj: CronJob, scheduledMs: number): Job {
  const tpl = cj.spec?.jobTemplate ?? {};
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: scheduledJobName(cj.metadata.name!, scheduledMs),
      namespace: cj.metadata.namespace,
      uid: crypto.randomUUID(),
      labels: { ...(tpl.metadata?.labels ?? {}) },
      annotations: { ...(tpl.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP]: rfc3339InZone(scheduledMs, cj.spec?.timeZone) },
      ownerReferences: [newControllerRef(cj)],
    },
    // A stored CronJob's template has a spec (validation); defaultJob fills the rest.
    spec: structuredClone(tpl.spec ?? ({} as NonNullable<Job['spec']>)),
  };
  defaultJob(job);
  return job;
}

/** The reference kept in status.active. */
export function jobReference(job: Job): { kind: string; namespace: string; name: string; uid: string; apiVersion: string; resourceVersion: string } {
  return {
    kind: 'Job',
    namespace: job.metadata.namespace ?? '',
    name: job.metadata.name!,
    uid: job.metadata.uid!,
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata.resourceVersion ?? '',
  };
}
