import type { ObjectStore } from '../../store/objects.ts';
import type { KubeObject } from '../types.ts';
import { budgetState, isHealthy, pdbSelects } from './disruption.ts';

/** What the pod's PodDisruptionBudget says to an eviction. */
export type EvictionCharge =
  | {
      allowed: true;
      /** The budget with this disruption recorded (status.disruptedPods), to write before the pod goes; none when no budget is charged. */
      budget?: KubeObject;
    }
  | {
      allowed: false;
      /** 429 when the budget has no disruption left; 500 when more than one budget covers the pod (as upstream answers). */
      code: 429 | 500;
      message: string;
      /** The budget's numbers behind a 429. */
      cause?: string;
    };

/** Pods that never ran or already finished (or are going) need no budget. */
function budgetIrrelevant(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

/**
 * The Eviction API's budget check, shared by the API handler and controllers that evict (the
 * cluster autoscaler's drain, the VPA updater): a healthy pod needs a disruption left, an
 * unhealthy one needs the budget met unless `unhealthyPodEvictionPolicy: AlwaysAllow`.
 */
export async function chargeEviction(store: ObjectStore, clusterId: string, pod: KubeObject, nowIso: () => string | Promise<string>): Promise<EvictionCharge> {
  if (budgetIrrelevant(pod)) return { allowed: true };
  const ns = pod.metadata.namespace ?? 'default';
  const { items: pdbs } = await store.list(clusterId, 'poddisruptionbudgets.policy', { namespace: ns, filter: (b) => pdbSelects(b, pod) });
  if (pdbs.length > 1)
    return { allowed: false, code: 500, message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.' };
  if (pdbs.length === 0) return { allowed: true };
  const [pdb] = pdbs;
  const { currentHealthy: healthy, desiredHealthy: desired, disruptionsAllowed: allowed, expectedPods: expected } = await budgetState(store, clusterId, pdb);
  const podHealthy = isHealthy(pod);
  const blocked = podHealthy ? allowed < 1 : pdb.spec?.unhealthyPodEvictionPolicy !== 'AlwaysAllow' && healthy < desired;
  if (blocked) {
    return {
      allowed: false,
      code: 429,
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      cause: `The disruption budget ${pdb.metadata.name} needs ${desired} healthy pods and has ${healthy} currently`,
    };
  }
  // Evicting an unhealthy pod costs the budget nothing.
  if (!podHealthy) return { allowed: true };
  const budget = structuredClone(pdb);
  budget.status = {
    ...(budget.status ?? {}),
    observedGeneration: pdb.metadata.generation,
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
    disruptionsAllowed: allowed - 1,
    disruptedPods: { ...(budget.status?.disruptedPods ?? {}), [pod.metadata.name!]: await nowIso() },
  };
  return { allowed: true, budget };
}
