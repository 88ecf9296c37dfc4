import { requestDeletion } from '../deletion.ts';
import { failure, successStatus, tooManyRequests } from '../status.ts';
import { isPlainObject } from '../patch/merge.ts';
import { isoTime } from '../../lib/clock.ts';
import { StoreError } from '../../store/errors.ts';
import { chargeEviction } from '../admission/eviction.ts';
import { EVICTION_API, markDisruptionTarget } from '../disruption-target.ts';
import { parseDeleteOptions } from './delete.ts';
import { loadObject } from './read.ts';
import { isDryRun, json, type KubeRequest, type KubeResponse } from './context.ts';

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
  const { store } = req.deps;
  const charge = await chargeEviction(store, req.clusterId, pod, async () => isoTime(await store.clusterNow(req.clusterId)));
  if (!charge.allowed) {
    if (charge.code === 500) throw failure(500, 'InternalError', charge.message);
    throw tooManyRequests(charge.message, 0, [{ reason: 'DisruptionBudget', message: charge.cause ?? '' }]);
  }
  if (!isDryRun(req)) {
    if (charge.budget) await store.update(req.clusterId, 'poddisruptionbudgets.policy', charge.budget);
    await markDisruptionTarget(store, req.clusterId, pod, EVICTION_API.reason, EVICTION_API.message, await store.clusterNow(req.clusterId));
    try {
      await requestDeletion(store, req.clusterId, 'pods', ns, pod.metadata.name!, {
        ...opts,
        preconditions: { uid: pod.metadata.uid, ...(opts.preconditions ?? {}) },
      });
    } catch (e) {
      if (!(e instanceof StoreError && e.reason === 'NotFound')) throw e;
    }
  }
  return json(201, { ...successStatus({}), code: 201 });
}
