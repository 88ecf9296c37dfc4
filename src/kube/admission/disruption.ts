import type { ObjectStore } from '../../store/objects.ts';
import type { PodCondition } from '../objects.ts';
import type { KubeObject, OwnerReference } from '../types.ts';
import { selectorMatches } from '../selectors/labels.ts';

export interface BudgetState {
  /** Pods the budget covers that are Ready and not being deleted. */
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
  expectedPods: number;
  pods: KubeObject[];
}

export interface BudgetStateOptions {
  /** Every pod of the budget's namespace, when the caller already holds them (a controller's cache). */
  namespacePods?: KubeObject[];
  /** Pods evicted moments ago that are expected to go: not counted as healthy (status.disruptedPods). */
  disrupted?: ReadonlySet<string>;
}

const isReady = (p: KubeObject) => (p.status?.conditions ?? []).some((c: PodCondition) => c.type === 'Ready' && c.status === 'True');
/** A pod that counts toward a budget: Ready and not being deleted. */
export const isHealthy = (p: KubeObject) => !p.metadata.deletionTimestamp && isReady(p);

/** Whether a budget covers a pod: same namespace, and its selector (policy/v1: null none, `{}` every pod) selects it. */
export function pdbSelects(pdb: KubeObject, pod: KubeObject): boolean {
  if ((pdb.metadata.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) return false;
  return selectorMatches(pdb.spec?.selector, pod.metadata.labels);
}

/** intstr.GetScaledValueFromIntOrPercent with rounding up, as the disruption controller uses it. */
function scaled(v: unknown, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v));
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  return Number(v) || 0;
}

/** Healthy pods the budget wants out of `expected`: from maxUnavailable when set, else minAvailable. */
export function desiredHealthy(spec: { minAvailable?: unknown; maxUnavailable?: unknown } | undefined, expected: number): number {
  const s = spec ?? {};
  return s.maxUnavailable !== undefined ? Math.max(0, expected - scaled(s.maxUnavailable, expected)) : scaled(s.minAvailable ?? 0, expected);
}

const SCALED_KINDS: Record<string, string> = {
  ReplicaSet: 'replicasets.apps',
  StatefulSet: 'statefulsets.apps',
  ReplicationController: 'replicationcontrollers',
  Deployment: 'deployments.apps',
};

/**
 * The workload whose scale speaks for a pod: its controller, or the Deployment above its
 * ReplicaSet (so both ReplicaSets of a rollout count the Deployment's replicas once).
 */
async function scaleOwner(store: ObjectStore, clusterId: string, ns: string, ref: OwnerReference): Promise<{ uid: string; replicas?: number }> {
  const resource = SCALED_KINDS[ref.kind];
  let ctl = resource ? await store.get(clusterId, resource, ns, ref.name) : undefined;
  if (!ctl || ctl.metadata.uid !== ref.uid) return { uid: ref.uid };
  if (ref.kind === 'ReplicaSet') {
    const up = (ctl.metadata.ownerReferences ?? []).find((r) => r.controller && r.kind === 'Deployment');
    const deploy = up ? await store.get(clusterId, 'deployments.apps', ns, up.name) : undefined;
    if (deploy && deploy.metadata.uid === up!.uid) ctl = deploy;
  }
  return { uid: ctl.metadata.uid!, replicas: typeof ctl.spec?.replicas === 'number' ? ctl.spec.replicas : undefined };
}

/** How many pods the budget's workloads want: their controllers' replica counts, else the pods seen. */
async function expectedCount(store: ObjectStore, clusterId: string, ns: string, pods: KubeObject[]): Promise<number> {
  const owners = new Map<string, OwnerReference>();
  for (const p of pods) {
    const o = (p.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (o) owners.set(o.uid, o);
  }
  if (owners.size === 0) return pods.length;
  const counted = new Set<string>();
  let total = 0;
  for (const o of owners.values()) {
    const scale = await scaleOwner(store, clusterId, ns, o);
    if (counted.has(scale.uid)) continue;
    counted.add(scale.uid);
    total += scale.replicas ?? pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === o.uid)).length;
  }
  return total;
}

/**
 * The numbers of a PodDisruptionBudget's status, computed from the pods it covers now (what the
 * eviction API checks, and what the disruption controller writes into `status`).
 */
export async function budgetState(store: ObjectStore, clusterId: string, pdb: KubeObject, opts: BudgetStateOptions = {}): Promise<BudgetState> {
  const ns = pdb.metadata.namespace ?? 'default';
  const covers = (p: KubeObject) => pdbSelects(pdb, p);
  const pods = opts.namespacePods ? opts.namespacePods.filter(covers) : (await store.list(clusterId, 'pods', { namespace: ns, filter: covers })).items;
  const s = pdb.spec ?? {};
  // An integer minAvailable needs no workload scale: upstream then expects just the pods it sees.
  const integerMin = s.maxUnavailable === undefined && typeof s.minAvailable === 'number';
  const expectedPods = integerMin ? pods.length : await expectedCount(store, clusterId, ns, pods);
  const currentHealthy = pods.filter((p) => isHealthy(p) && !opts.disrupted?.has(p.metadata.name!)).length;
  const desired = desiredHealthy(s, expectedPods);
  // A budget that expects no pods allows nothing, so its first pods are safe before a status exists.
  const disruptionsAllowed = expectedPods > 0 ? Math.max(0, currentHealthy - desired) : 0;
  return { currentHealthy, desiredHealthy: desired, disruptionsAllowed, expectedPods, pods };
}
