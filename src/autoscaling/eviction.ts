import type { KubeObject } from '../kube/types.ts';
import type { ObjectStore } from '../store/objects.ts';
import { requestDeletion } from '../kube/deletion.ts';
import { isoTime } from '../lib/clock.ts';
import { StoreError } from '../store/errors.ts';
import { computeBudget, isHealthy, pdbMatches } from './pdb.ts';
import { scaleResourceOf } from './scale-target.ts';
import { EVICTION_API, markDisruptionTarget } from '../kube/disruption-target.ts';

export type EvictionOutcome = { evicted: true } | { evicted: false; reason: string };

/**
 * `POST pods/<name>/eviction` as a controller issues it (the cluster autoscaler's drain, the VPA
 * updater): refused when the pod's PodDisruptionBudget has no disruption left, otherwise the
 * budget records the disruption and the pod is marked DisruptionTarget and deleted gracefully.
 */
export async function evictPod(store: ObjectStore, clusterId: string, pod: KubeObject, nowMs: number): Promise<EvictionOutcome> {
  const ns = pod.metadata.namespace ?? 'default';
  const phase = pod.status?.phase;
  const needsBudget = !(phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp);
  if (needsBudget) {
    const pdbs = (await store.list(clusterId, 'poddisruptionbudgets.policy', { namespace: ns })).items.filter((b) => pdbMatches(b, pod));
    if (pdbs.length > 1) return { evicted: false, reason: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.' };
    if (pdbs.length === 1) {
      const pods = (await store.list(clusterId, 'pods', { namespace: ns })).items;
      const owners = new Map<string, number | undefined>();
      for (const p of pods) {
        const o = (p.metadata.ownerReferences ?? []).find((r) => r.controller);
        if (!o || owners.has(o.uid)) continue;
        const r = scaleResourceOf({ apiVersion: o.apiVersion, kind: o.kind });
        const ctl = 'resource' in r ? await store.get(clusterId, r.resource, ns, o.name) : undefined;
        owners.set(o.uid, typeof ctl?.spec?.replicas === 'number' ? ctl.spec.replicas : undefined);
      }
      const budget = computeBudget(pdbs[0], pods, (o) => owners.get(o.uid));
      const healthy = isHealthy(pod);
      if (healthy ? budget.allowed < 1 : pdbs[0].spec?.unhealthyPodEvictionPolicy !== 'AlwaysAllow' && budget.healthy < budget.desired) {
        return { evicted: false, reason: `Cannot evict pod as it would violate the pod's disruption budget. The disruption budget ${pdbs[0].metadata.name} needs ${budget.desired} healthy pods and has ${budget.healthy} currently` };
      }
      if (healthy) {
        const next = structuredClone(pdbs[0]);
        next.status = {
          ...(next.status ?? {}),
          observedGeneration: pdbs[0].metadata.generation,
          currentHealthy: budget.healthy,
          desiredHealthy: budget.desired,
          expectedPods: budget.expected,
          disruptionsAllowed: budget.allowed - 1,
          disruptedPods: { ...(next.status?.disruptedPods ?? {}), [pod.metadata.name!]: isoTime(nowMs) },
        };
        try {
          await store.update(clusterId, 'poddisruptionbudgets.policy', next);
        } catch (err) {
          if (err instanceof StoreError && err.reason === 'Conflict') return { evicted: false, reason: 'the disruption budget changed; retry' };
          throw err;
        }
      }
    }
  }
  try {
    await markDisruptionTarget(store, clusterId, pod, EVICTION_API.reason, EVICTION_API.message, nowMs);
    await requestDeletion(store, clusterId, 'pods', ns, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
  } catch (err) {
    if (!(err instanceof StoreError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
  }
  return { evicted: true };
}
