import type { KubeObject } from '../kube/types.ts';
import { desiredHealthy, isHealthy, pdbSelects } from '../kube/admission/disruption.ts';

export interface Budget {
  pdb: KubeObject;
  expected: number;
  healthy: number;
  desired: number;
  /** Disruptions the budget allows right now. */
  allowed: number;
}

/**
 * How many pods a budget may lose now, computed from live pods the way the disruption controller
 * does: expected = the owning controllers' replicas (else the pods seen), desired healthy from
 * minAvailable or maxUnavailable, allowed = healthy − desired.
 */
export function computeBudget(
  pdb: KubeObject,
  namespacePods: KubeObject[],
  replicasOf: (owner: { kind: string; name: string; uid: string }) => number | undefined,
): Budget {
  const pods = namespacePods.filter((p) => pdbSelects(pdb, p));
  const owners = new Map<string, { kind: string; name: string; uid: string }>();
  for (const p of pods) {
    const o = (p.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (o) owners.set(o.uid, o);
  }
  let expected = 0;
  if (owners.size === 0) expected = pods.length;
  for (const o of owners.values()) expected += replicasOf(o) ?? pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === o.uid)).length;
  const healthy = pods.filter(isHealthy).length;
  const desired = desiredHealthy(pdb.spec, expected);
  return { pdb, expected, healthy, desired, allowed: Math.max(0, healthy - desired) };
}
