/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../kube/types.ts';
import { compileLabelSelector } from '../kube/selectors/labels.ts';

export interface Budget {
  pdb: KubeObject;
  expected: number;
  healthy: number;
  desired: number;
  /** Disruptions the budget allows right now. */
  allowed: number;
}

const isReady = (p: KubeObject) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
export const isHealthy = (p: KubeObject) => !p.metadata.deletionTimestamp && isReady(p);

/** intstr value against a total, percentages rounded up (the disruption controller's rule). */
function scaled(v: unknown, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v));
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  return Number(v) || 0;
}

export function pdbMatches(pdb: KubeObject, pod: KubeObject): boolean {
  if ((pdb.metadata.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) return false;
  // A PDB with an empty selector matches every pod of its namespace (policy/v1).
  return compileLabelSelector(pdb.spec?.selector ?? {})(pod.metadata.labels);
}

/**
 * How many pods a budget may lose now, computed from live pods the way the disruption controller
 * does: expected = the owning controllers' replicas (else the pods seen), desired healthy from
 * minAvailable or maxUnavailable, allowed = healthy − desired.
 */
export function computeBudget(pdb: KubeObject, namespacePods: KubeObject[], replicasOf: (owner: { kind: string; name: string; uid: string }) => number | undefined): Budget {
  const pods = namespacePods.filter((p) => pdbMatches(pdb, p));
  const owners = new Map<string, { kind: string; name: string; uid: string }>();
  for (const p of pods) {
    const o = (p.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (o) owners.set(o.uid, o);
  }
  let expected = 0;
  if (owners.size === 0) expected = pods.length;
  for (const o of owners.values()) expected += replicasOf(o) ?? pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === o.uid)).length;
  const healthy = pods.filter(isHealthy).length;
  const s = pdb.spec ?? {};
  const desired = s.maxUnavailable !== undefined ? Math.max(0, expected - scaled(s.maxUnavailable, expected)) : scaled(s.minAvailable ?? 0, expected);
  return { pdb, expected, healthy, desired, allowed: Math.max(0, healthy - desired) };
}
