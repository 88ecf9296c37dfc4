import type { KubeObject } from '../../kube/types.ts';
import type { WriteOp } from '../../store/objects.ts';
import type { CreateAdmission } from '../shared/admission.ts';
import { canonicalJson } from '../shared/canonical.ts';
import { planClaims, withControllerRef, withoutOwnerRef } from '../shared/owners.ts';
import type { Pass } from '../shared/pass.ts';
import { selectorMatches } from '../shared/selector.ts';
import { decideJob, type JobEvent } from './decide.ts';
import { releasePodOp } from './finalizers.ts';
import { createJobPods, deleteJobPods } from './pods.ts';
import { jobSelector } from './spec.ts';
import { jobStatusAfter } from './status.ts';

/**
 * One Job (job_controller.go syncJob): claim its pods, decide (`decideJob`, no writes), then act
 * through the pass: delete and create pods, record events, and write the new status together with
 * the release of the pods it counts.
 */
export async function syncJob(pass: Pass, job: KubeObject, candidates: KubeObject[], admission: CreateAdmission): Promise<void> {
  const pods = await claimPods(pass, job, candidates);
  const decision = decideJob(job, pods, pass.nowMs);
  if (decision.kind === 'let-go') return releaseFinalizers(pass, decision.release);
  if (decision.wakeAt !== undefined) pass.wakeAt(decision.wakeAt);
  const deleted = await deleteJobPods(pass, job, decision.delete);
  const { create } = decision;
  const created = create
    ? await createJobPods(pass, job, create.count, create.indexes, admission, create.annotations && ((idx) => create.annotations!.get(idx) ?? {}))
    : [];
  await record(pass, job, decision.events);
  const { status, events } = jobStatusAfter(decision, { deleted, created }, pass.nowMs);
  await record(pass, job, events);
  await commitStatus(pass, job, status, decision.release);
}

async function record(pass: Pass, job: KubeObject, events: JobEvent[]): Promise<void> {
  for (const e of events) await pass.event(job, e.type, e.reason, e.message);
}

/** New counts and the release of the pods they count, in one atomic commit (never counted twice). */
async function commitStatus(pass: Pass, job: KubeObject, status: Record<string, unknown>, released: KubeObject[]): Promise<void> {
  if (canonicalJson(job.status ?? {}) === canonicalJson(status) && released.length === 0) return;
  const ops: WriteOp[] = [{ op: 'update', resource: 'jobs.batch', object: { ...job, status } }, ...released.map(releasePodOp)];
  await pass.attempt(() => pass.store.commit(pass.clusterId, ops), ops.length);
}

export async function releaseFinalizers(pass: Pass, pods: KubeObject[]): Promise<void> {
  if (pods.length === 0) return;
  const ops = pods.slice(0, pass.budgetLeft).map(releasePodOp);
  await pass.attempt(() => pass.store.commit(pass.clusterId, ops), ops.length);
}

async function claimPods(pass: Pass, job: KubeObject, candidates: KubeObject[]): Promise<KubeObject[]> {
  const selector = jobSelector(job);
  const plan = planClaims(job, candidates, (pod) => selectorMatches(selector, pod.metadata.labels));
  const owned = [...plan.owned];
  for (const pod of plan.adopt) {
    const adopted = await pass.attempt(() => pass.store.update(pass.clusterId, 'pods', withControllerRef(pod, job)));
    if (adopted) owned.push(adopted);
  }
  for (const pod of plan.release) await pass.attempt(() => pass.store.update(pass.clusterId, 'pods', withoutOwnerRef(pod, job.metadata.uid!)));
  return owned;
}
