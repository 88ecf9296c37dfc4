import type { Pod, ReplicaSet, ReplicaSetLike } from '../../kube/objects.ts';
import { requestDeletion } from '../../kube/deletion.ts';
import type { CreateAdmission } from '../shared/admission.ts';
import { generateName } from '../shared/names.ts';
import { planClaims, withControllerRef, withoutOwnerRef } from '../shared/owners.ts';
import type { Pass } from '../shared/pass.ts';
import { podFromTemplate } from '../shared/pod-factory.ts';
import { podAvailableAt } from '../shared/pod-state.ts';
import { selectorMatches } from '../shared/selector.ts';
import type { LabelSelector } from '../../kube/selectors/labels.ts';
import { createInSlowStartBatches } from '../shared/slow-start.ts';
import { rankPodsForDeletion } from './deletion-ranking.ts';
import { replicaSetStatus, statusChanged } from './status.ts';

/**
 * Where a ReplicaSet-like kind lives and how it selects pods. ReplicationControllers are synced by
 * this same code (upstream's replication controller runs the ReplicaSet controller through a
 * conversion adapter), with their map selector read as matchLabels.
 */
export interface ReplicaSetKind {
  resource: string;
  selector(owner: ReplicaSetLike): LabelSelector | undefined;
}

export const REPLICA_SET_KIND: ReplicaSetKind = { resource: 'replicasets.apps', selector: (rs: ReplicaSet) => rs.spec?.selector };

export interface ReplicaSetIndex {
  activePodsInNamespace(ns: string): Pod[];
  /** Active pods of this ReplicaSet and of its siblings under the same Deployment. */
  relatedActivePods(rs: ReplicaSetLike): Pod[];
}

/**
 * One ReplicaSet (replica_set.go syncReplicaSet): claim pods, create or delete the difference
 * (bounded by the pass budget), then write status. Not invoked concurrently for one cluster.
 */
export async function syncReplicaSet(
  pass: Pass,
  rs: ReplicaSetLike,
  index: ReplicaSetIndex,
  admission: CreateAdmission,
  kind: ReplicaSetKind = REPLICA_SET_KIND,
): Promise<void> {
  const ns = rs.metadata.namespace ?? '';
  const selector = kind.selector(rs);
  const plan = planClaims(rs, index.activePodsInNamespace(ns), (p) => selectorMatches(selector, p.metadata.labels));
  const owned = [...plan.owned];
  for (const pod of plan.adopt) {
    const adopted = await pass.attempt(() => pass.store.update(pass.clusterId, 'pods', withControllerRef(pod, rs)));
    if (adopted) owned.push(adopted);
  }
  for (const pod of plan.release) {
    await pass.attempt(() => pass.store.update(pass.clusterId, 'pods', withoutOwnerRef(pod, rs.metadata.uid!)));
  }

  let active = owned;
  let createError: string | undefined;
  if (!rs.metadata.deletionTimestamp) {
    const wanted = rs.spec?.replicas ?? 1;
    const diff = owned.length - wanted;
    if (diff < 0) {
      const result = await createPods(pass, rs, Math.min(-diff, pass.budgetLeft), admission);
      active = [...owned, ...result.created];
      createError = result.error;
    } else if (diff > 0) {
      const victims = rankPodsForDeletion(owned, index.relatedActivePods(rs), pass.nowMs).slice(0, Math.min(diff, pass.budgetLeft));
      const gone = await deletePods(pass, rs, victims);
      active = owned.filter((p) => !gone.has(p.metadata.uid!));
    }
  }

  const minReady = rs.spec?.minReadySeconds ?? 0;
  for (const pod of active) {
    const at = podAvailableAt(pod, minReady, pass.nowMs);
    if (at !== undefined) pass.wakeAt(at);
  }
  const status = replicaSetStatus(rs, active, pass.nowMs, createError);
  if (statusChanged(rs, status)) {
    await pass.attempt(() => pass.store.update(pass.clusterId, kind.resource, { ...rs, status }));
  }
}

async function createPods(pass: Pass, rs: ReplicaSetLike, count: number, admission: CreateAdmission): Promise<{ created: Pod[]; error?: string }> {
  if (count <= 0) return { created: [] };
  const ns = rs.metadata.namespace ?? '';
  const base = `${rs.metadata.name}-`;
  const forbidden = await admission.forbiddenReason('pods', ns, base);
  if (forbidden) {
    await pass.event(rs, 'Warning', 'FailedCreate', `Error creating: ${forbidden}`);
    return { created: [], error: forbidden };
  }
  const template = rs.spec?.template ?? {};
  const { admitted, error: refused } = await admission.admitPods(
    Array.from({ length: count }, () => podFromTemplate(template, { name: generateName(base), generateName: base, namespace: ns, owner: rs })),
  );
  const { created, error } = await createInSlowStartBatches(pass, admitted, admission);
  for (const pod of created) await pass.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  if (refused) {
    await pass.event(rs, 'Warning', 'FailedCreate', `Error creating: ${refused}`);
    return { created, error: refused };
  }
  // A name clash of the random suffix, or a quota another create charged meanwhile, is retried by
  // the next pass (the API server retries its own quota races); anything else is reported.
  if (error && error.reason !== 'AlreadyExists' && !(error.reason === 'Conflict' && error.details.resource === 'resourcequotas')) {
    await pass.event(rs, 'Warning', 'FailedCreate', `Error creating: ${error.message}`);
    return { created, error: error.message };
  }
  return { created };
}

async function deletePods(pass: Pass, rs: ReplicaSetLike, victims: Pod[]): Promise<Set<string>> {
  const gone = new Set<string>();
  for (const pod of victims) {
    const done = await pass.attempt(() =>
      requestDeletion(pass.store, pass.clusterId, 'pods', pod.metadata.namespace ?? '', pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } }),
    );
    if (!done) continue;
    gone.add(pod.metadata.uid!);
    await pass.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  }
  return gone;
}
