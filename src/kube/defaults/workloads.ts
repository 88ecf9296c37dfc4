/* eslint-disable @typescript-eslint/no-explicit-any */
import { defaultPodTemplate } from './pod.ts';

/** apps/v1 and batch/v1 defaulting (SetDefaults_Deployment and friends). */

export function defaultDeployment(d: any): void {
  d.spec ??= {};
  const s = d.spec;
  s.replicas ??= 1;
  s.strategy ??= {};
  s.strategy.type ??= 'RollingUpdate';
  if (s.strategy.type === 'RollingUpdate') {
    s.strategy.rollingUpdate ??= {};
    s.strategy.rollingUpdate.maxUnavailable ??= '25%';
    s.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  s.revisionHistoryLimit ??= 10;
  s.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(s.template);
}

export function defaultReplicaSet(rs: any): void {
  rs.spec ??= {};
  rs.spec.replicas ??= 1;
  defaultPodTemplate(rs.spec.template);
}

export function defaultStatefulSet(sts: any): void {
  sts.spec ??= {};
  const s = sts.spec;
  s.replicas ??= 1;
  s.podManagementPolicy ??= 'OrderedReady';
  s.updateStrategy ??= {};
  s.updateStrategy.type ??= 'RollingUpdate';
  if (s.updateStrategy.type === 'RollingUpdate') {
    s.updateStrategy.rollingUpdate ??= {};
    s.updateStrategy.rollingUpdate.partition ??= 0;
  }
  s.revisionHistoryLimit ??= 10;
  s.persistentVolumeClaimRetentionPolicy ??= {};
  s.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
  s.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
  for (const t of s.volumeClaimTemplates ?? []) {
    if (!t || typeof t !== 'object') continue;
    t.apiVersion ??= 'v1';
    t.kind ??= 'PersistentVolumeClaim';
    t.spec ??= {};
    t.spec.volumeMode ??= 'Filesystem';
    t.status ??= { phase: 'Pending' };
  }
  defaultPodTemplate(s.template);
}

export function defaultDaemonSet(ds: any): void {
  ds.spec ??= {};
  const s = ds.spec;
  s.updateStrategy ??= {};
  s.updateStrategy.type ??= 'RollingUpdate';
  if (s.updateStrategy.type === 'RollingUpdate') {
    s.updateStrategy.rollingUpdate ??= {};
    s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    s.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  s.revisionHistoryLimit ??= 10;
  defaultPodTemplate(s.template);
}

export function defaultJobSpec(s: any): void {
  // Without either, a Job runs one pod once; with only parallelism it is a work queue (no completions).
  if (s.completions === undefined && s.parallelism === undefined) s.completions = 1;
  s.parallelism ??= 1;
  s.backoffLimit ??= s.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  s.completionMode ??= 'NonIndexed';
  s.suspend ??= false;
  s.podReplacementPolicy ??= s.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  // A condition pattern without status means the condition is True (SetDefaults_Job).
  for (const rule of s.podFailurePolicy?.rules ?? [])
    for (const pattern of rule?.onPodConditions ?? []) if (pattern && !pattern.status) pattern.status = 'True';
  defaultPodTemplate(s.template);
}

/**
 * Jobs get a selector and template labels keyed by their own uid (the API server's Job strategy
 * does this at create), so the uid is chosen here rather than by the store.
 */
export function defaultJob(job: any): void {
  job.spec ??= {};
  defaultJobSpec(job.spec);
  const uid = job.metadata?.uid;
  const name = job.metadata?.name;
  if (!uid || job.spec.manualSelector) return;
  const t = (job.spec.template ??= {});
  t.metadata ??= {};
  const labels = (t.metadata.labels ??= {});
  labels['batch.kubernetes.io/controller-uid'] ??= uid;
  labels['controller-uid'] ??= uid;
  if (name) {
    labels['batch.kubernetes.io/job-name'] ??= name;
    labels['job-name'] ??= name;
  }
  job.spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
}

export function defaultCronJob(cj: any): void {
  cj.spec ??= {};
  const s = cj.spec;
  s.concurrencyPolicy ??= 'Allow';
  s.suspend ??= false;
  s.successfulJobsHistoryLimit ??= 3;
  s.failedJobsHistoryLimit ??= 1;
  s.jobTemplate ??= {};
  s.jobTemplate.spec ??= {};
  // Job defaults of the template are applied when the Job is created, except the pod template ones.
  defaultPodTemplate(s.jobTemplate.spec.template);
}
