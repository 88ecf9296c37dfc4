import type { KubeObject } from '../../kube/types.ts';
import type { WriteOp } from '../../store/objects.ts';
import type { Pass } from '../shared/pass.ts';
import type { Provider } from '../../billing/catalog.ts';
import { evictPods, podsLeftOnNode } from '../../kube/evict.ts';
import { requestDeletion } from '../../kube/deletion.ts';
import { isoTime } from '../../lib/clock.ts';
import { DRAIN_TIMEOUT } from '../../clusters/upgrade-settings.ts';

/** Set when the node-pool controller cordons a node to drain it (cluster-clock ms): the drain timeout runs from it. */
export const DRAIN_ANNOTATION = 'kates.dev/drain-started';
/** A node above its pool's size while the pool's nodes are replaced; billed as surge node-hours. */
export const SURGE_ANNOTATION = 'kates.dev/surge';
const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

export const isDraining = (n: KubeObject) => n.metadata.annotations?.[DRAIN_ANNOTATION] !== undefined;
export const isSurge = (n: KubeObject) => n.metadata.annotations?.[SURGE_ANNOTATION] === 'true';

/** `kubectl cordon` plus the drain mark: no new pods land here (the cordon taint is added now, not on the node lifecycle's next pass). */
export async function cordon(pass: Pass, node: KubeObject, why: string): Promise<void> {
  const next = structuredClone(node);
  next.spec = { ...(next.spec ?? {}), unschedulable: true };
  const taints = (next.spec.taints ?? []) as { key: string }[];
  if (!taints.some((t) => t.key === UNSCHEDULABLE_TAINT))
    next.spec.taints = [...taints, { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule', timeAdded: isoTime(pass.nowMs) }];
  next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [DRAIN_ANNOTATION]: String(pass.nowMs) };
  const written = await pass.attempt(() => pass.store.update(pass.clusterId, 'nodes', next));
  if (written) await pass.event(node, 'Normal', 'NodeNotSchedulable', `Node ${node.metadata.name} cordoned and draining: ${why}`);
}

export type DrainResult = { state: 'removed' } | { state: 'draining'; left: number } | { state: 'failed'; message: string };

/**
 * One step of a node's drain, as `kubectl drain` does it through the Eviction API: every pod that
 * must leave is evicted (refused while its PodDisruptionBudget allows no disruption), DaemonSet and
 * mirror pods go with the node. Once no such pod is left, even terminating, the node is removed with
 * what still runs there; `surgeToAbsorb` (a surge node) stops being surge in the same commit. Past the
 * provider's drain timeout GKE evicts anyway and EKS/AKS fail the operation.
 */
export async function drainStep(
  pass: Pass,
  provider: Provider,
  node: KubeObject,
  podsOnNode: KubeObject[],
  surgeToAbsorb: KubeObject | undefined,
): Promise<DrainResult> {
  const name = node.metadata.name!;
  const left = podsLeftOnNode(podsOnNode);
  if (left.length === 0) {
    const ops: WriteOp[] = podsOnNode.map((p) => ({ op: 'delete', resource: 'pods', namespace: p.metadata.namespace!, name: p.metadata.name! }));
    ops.push({ op: 'delete', resource: 'nodes', namespace: '', name });
    if (surgeToAbsorb) {
      const absorbed = structuredClone(surgeToAbsorb);
      delete absorbed.metadata.annotations![SURGE_ANNOTATION];
      ops.push({ op: 'update', resource: 'nodes', object: absorbed });
    }
    await pass.event(node, 'Normal', 'RemovingNode', `Node ${name} drained and removed`);
    const done = await pass.attempt(() => pass.store.commit(pass.clusterId, ops), ops.length);
    return done ? { state: 'removed' } : { state: 'draining', left: 0 };
  }
  pass.spend(3 * left.length);
  const refused = await evictPods(pass.store, pass.clusterId, left, pass.nowMs);
  if (refused.length === 0) return { state: 'draining', left: left.length };
  const startedAt = Number(node.metadata.annotations?.[DRAIN_ANNOTATION] ?? pass.nowMs);
  const timeout = DRAIN_TIMEOUT[provider];
  if (pass.nowMs - startedAt < timeout.ms) return { state: 'draining', left: left.length };
  const first = refused[0];
  if (timeout.then === 'fail')
    return {
      state: 'failed',
      message: `PodEvictionFailure: node ${name} could not be drained within ${timeout.ms / 60_000} minutes: ${first.pod}: ${first.reason}`,
    };
  // GKE: PodDisruptionBudgets are respected for up to an hour, then the pods are deleted anyway.
  for (const p of left) {
    if (p.metadata.deletionTimestamp) continue;
    await pass.attempt(() =>
      requestDeletion(pass.store, pass.clusterId, 'pods', p.metadata.namespace!, p.metadata.name!, { preconditions: { uid: p.metadata.uid } }),
    );
  }
  await pass.event(
    node,
    'Warning',
    'DrainTimeout',
    `Node ${name}: pods still protected by PodDisruptionBudgets after ${timeout.ms / 60_000} minutes were deleted`,
  );
  return { state: 'draining', left: left.length };
}
