/* eslint-disable @typescript-eslint/no-explicit-any */
import type { ObjectStore } from '../../store/objects.ts';
import type { KubeObject } from '../types.ts';
import { selectorMatches } from '../selectors/labels.ts';

export interface BudgetState {
  /** Pods the budget covers that are Ready and not being deleted. */
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
  expectedPods: number;
  pods: KubeObject[];
}

const isReady = (p: KubeObject) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
export const isHealthy = (p: KubeObject) => !p.metadata.deletionTimestamp && isReady(p);

/** intstr.GetScaledValueFromIntOrPercent with rounding up, as the disruption controller uses it. */
function scaled(v: unknown, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v));
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  return Number(v) || 0;
}

/** How many pods the budget's workloads want: their controllers' replica counts, else the pods seen. */
async function expectedCount(store: ObjectStore, clusterId: string, ns: string, pods: KubeObject[]): Promise<number> {
  const owners = new Map<string, any>();
  for (const p of pods) {
    const o = (p.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (o) owners.set(o.uid, o);
  }
  if (owners.size === 0) return pods.length;
  let total = 0;
  for (const o of owners.values()) {
    const resource = o.kind === 'ReplicaSet' ? 'replicasets.apps' : o.kind === 'StatefulSet' ? 'statefulsets.apps' : o.kind === 'ReplicationController' ? 'replicationcontrollers' : undefined;
    const ctl = resource ? await store.get(clusterId, resource, ns, o.name) : undefined;
    total += typeof ctl?.spec?.replicas === 'number' ? ctl.spec.replicas : pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === o.uid)).length;
  }
  return total;
}

/**
 * The numbers of a PodDisruptionBudget's status, computed from the pods it covers now (what the
 * eviction API checks, and what a disruption controller would write into `status`).
 */
export async function budgetState(store: ObjectStore, clusterId: string, pdb: KubeObject): Promise<BudgetState> {
  const ns = pdb.metadata.namespace ?? 'default';
  const { items: pods } = await store.list(clusterId, 'pods', { namespace: ns, filter: (p) => selectorMatches(pdb.spec?.selector, p.metadata.labels) });
  const expectedPods = await expectedCount(store, clusterId, ns, pods);
  const currentHealthy = pods.filter(isHealthy).length;
  const s = pdb.spec ?? {};
  const desiredHealthy = s.maxUnavailable !== undefined ? Math.max(0, expectedPods - scaled(s.maxUnavailable, expectedPods)) : scaled(s.minAvailable ?? 0, expectedPods);
  return { currentHealthy, desiredHealthy, disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy), expectedPods, pods };
}
