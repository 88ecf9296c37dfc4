/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../types.ts';
import { requestDeletion } from '../deletion.ts';
import { failure, successStatus, tooManyRequests } from '../status.ts';
import { isPlainObject } from '../patch/merge.ts';
import { selectorMatches } from '../selectors/labels.ts';
import { isoTime } from '../../lib/clock.ts';
import { StoreError } from '../../store/errors.ts';
import { budgetState, isHealthy } from '../admission/disruption.ts';
import { EVICTION_API, markDisruptionTarget } from '../disruption-target.ts';
import { parseDeleteOptions } from './delete.ts';
import { loadObject } from './read.ts';
import { isDryRun, json, type KubeRequest, type KubeResponse } from './context.ts';

/** Pods that never ran or already finished (or are going) need no budget. */
function budgetIrrelevant(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

/**
 * The Eviction API: a graceful delete that a PodDisruptionBudget may refuse (429) when the pod
 * is healthy and the budget has no disruptions left; the budget's status records the disruption
 * and the pod is marked DisruptionTarget (EvictionByEvictionAPI) before it is deleted.
 */
export async function handleEviction(req: KubeRequest, body: unknown): Promise<KubeResponse> {
  const pod = await loadObject(req, req.name!);
  const eviction = isPlainObject(body) ? body : {};
  const opts = parseDeleteOptions(req, eviction.deleteOptions ?? {});
  const ns = req.namespace ?? '';
  if (!budgetIrrelevant(pod)) {
    const { items: pdbs } = await req.deps.store.list(req.clusterId, 'poddisruptionbudgets.policy', { namespace: ns, filter: (b) => selectorMatches(b.spec?.selector, pod.metadata.labels) });
    if (pdbs.length > 1) throw failure(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    if (pdbs.length === 1) await chargeBudget(req, pdbs[0], pod);
  }
  if (!isDryRun(req)) {
    const now = await req.deps.store.clusterNow(req.clusterId);
    await markDisruptionTarget(req.deps.store, req.clusterId, pod, EVICTION_API.reason, EVICTION_API.message, now);
    try {
      await requestDeletion(req.deps.store, req.clusterId, 'pods', ns, pod.metadata.name!, { ...opts, preconditions: { uid: pod.metadata.uid, ...(opts.preconditions ?? {}) } });
    } catch (e) {
      if (!(e instanceof StoreError && e.reason === 'NotFound')) throw e;
    }
  }
  return json(201, { ...successStatus({}), code: 201 });
}

async function chargeBudget(req: KubeRequest, pdb: KubeObject, pod: KubeObject): Promise<void> {
  const state = await budgetState(req.deps.store, req.clusterId, pdb);
  const { currentHealthy: healthy, desiredHealthy: desired, disruptionsAllowed: allowed, expectedPods: expected } = state;
  const alwaysAllowUnhealthy = pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow';
  const podHealthy = isHealthy(pod);
  const blocked = podHealthy ? allowed < 1 : !alwaysAllowUnhealthy && healthy < desired;
  if (blocked) {
    throw tooManyRequests('Cannot evict pod as it would violate the pod\'s disruption budget.', 0, [
      { reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${desired} healthy pods and has ${healthy} currently` },
    ]);
  }
  if (isDryRun(req) || !podHealthy) return;
  const next = structuredClone(pdb);
  const now = isoTime(await req.deps.store.clusterNow(req.clusterId));
  next.status = {
    ...(next.status ?? {}),
    observedGeneration: pdb.metadata.generation,
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
    disruptionsAllowed: allowed - 1,
    disruptedPods: { ...(next.status?.disruptedPods ?? {}), [pod.metadata.name!]: now },
  };
  await req.deps.store.update(req.clusterId, 'poddisruptionbudgets.policy', next);
}
