import type { PodSpec } from '../../kube/objects.ts';
import type { KubeObject } from '../../kube/types.ts';
import { requestDeletion } from '../../kube/deletion.ts';
import type { CreateAdmission } from '../shared/admission.ts';
import { generateName } from '../shared/names.ts';
import type { Pass } from '../shared/pass.ts';
import { podFromTemplate } from '../shared/pod-factory.ts';
import { createInSlowStartBatches } from '../shared/slow-start.ts';
import { COMPLETION_INDEX, TRACKING_FINALIZER, jobPodLabels } from './spec.ts';

/**
 * Creates Job pods: `<job>-<5 random>`, or `<job>-<index>-<5 random>` with the completion index
 * as annotation, label, JOB_COMPLETION_INDEX and hostname for Indexed Jobs. Each carries the
 * tracking finalizer until the controller has counted it; `annotate` adds per-index annotations
 * (the index's failure counts). Returns the pods created.
 */
export async function createJobPods(
  pass: Pass,
  job: KubeObject,
  count: number,
  indexes: number[] | undefined,
  admission: CreateAdmission,
  annotate?: (index: number) => Record<string, string>,
): Promise<KubeObject[]> {
  if (count <= 0 || pass.budgetLeft <= 0) return [];
  const ns = job.metadata.namespace ?? '';
  const forbidden = await admission.forbiddenReason('pods', ns, `${job.metadata.name}-`);
  if (forbidden) {
    await pass.event(job, 'Warning', 'FailedCreate', `Error creating: ${forbidden}`);
    return [];
  }
  const template = job.spec?.template ?? {};
  const slots = indexes ? indexes.slice(0, Math.min(count, pass.budgetLeft)) : Array.from({ length: Math.min(count, pass.budgetLeft) }, () => undefined);
  const pods = slots.map((index) => {
    const base = index === undefined ? `${job.metadata.name}-` : `${job.metadata.name}-${index}-`;
    const extra: Record<string, string> = index === undefined ? {} : { [COMPLETION_INDEX]: String(index) };
    const pod = podFromTemplate(template, {
      name: generateName(base),
      generateName: base,
      namespace: ns,
      owner: job,
      labels: { ...jobPodLabels(job), ...extra },
      annotations: index === undefined ? extra : { ...extra, ...(annotate?.(index) ?? {}) },
      finalizers: [TRACKING_FINALIZER],
    });
    if (index !== undefined) addIndexEnv(pod.spec, job.metadata.name!, index);
    return pod;
  });
  const { admitted, error } = await admission.admitPods(pods);
  if (error) await pass.event(job, 'Warning', 'FailedCreate', `Error creating: ${error}`);
  const { created } = await createInSlowStartBatches(pass, admitted, admission);
  for (const pod of created) await pass.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  return created;
}

function addIndexEnv(spec: PodSpec, jobName: string, index: number): void {
  const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } };
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    c.env = [...(c.env ?? []).filter((e) => e.name !== 'JOB_COMPLETION_INDEX'), env];
  }
  spec.hostname ??= `${jobName}-${index}`;
}

/** Deletes pods (gracefully when bound); returns, per uid, whether the pod is gone or terminating. */
export async function deleteJobPods(pass: Pass, job: KubeObject, pods: KubeObject[]): Promise<Map<string, 'gone' | 'terminating'>> {
  const done = new Map<string, 'gone' | 'terminating'>();
  for (const pod of pods.slice(0, pass.budgetLeft)) {
    const result = await pass.attempt(() =>
      requestDeletion(pass.store, pass.clusterId, 'pods', pod.metadata.namespace ?? '', pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } }),
    );
    if (!result) continue;
    done.set(pod.metadata.uid!, result.deleted ? 'gone' : 'terminating');
    await pass.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  }
  return done;
}
