import type { KubeObject } from '../types.ts';
import { badRequest, conflict, successStatus } from '../status.ts';
import { isPlainObject } from '../patch/merge.ts';
import { isoTime } from '../../lib/clock.ts';
import { replaceCondition } from '../../lib/conditions.ts';
import { loadObject } from './read.ts';
import { isDryRun, json, type KubeRequest, type KubeResponse } from './context.ts';

/** pods/binding (and the legacy `bindings` resource): assigns an unbound pod to a node. */
export async function handleBinding(req: KubeRequest, body: unknown, podName: string): Promise<KubeResponse> {
  const b = isPlainObject(body) ? (body as KubeObject) : undefined;
  // Read as the client sent it: a name that is there is taken as given.
  const target = b?.target as { name?: unknown } | null | undefined;
  if (!target?.name) throw badRequest('Binding.target.name: Required value');
  const pod = await loadObject({ ...req, storageDef: { ...req.storageDef, storage: 'pods' } }, podName);
  const pods = { plural: 'pods', group: '', kind: 'Pod' };
  if (pod.spec?.nodeName) throw conflict(pods, podName, `pod ${podName} is already assigned to node "${pod.spec.nodeName}"`);
  if (b?.metadata?.uid && b.metadata.uid !== pod.metadata.uid) throw conflict(pods, podName, 'the UID in the binding does not match the pod');
  if (!isDryRun(req)) {
    const next = structuredClone(pod);
    next.spec.nodeName = target.name;
    const now = isoTime(await req.deps.store.clusterNow(req.clusterId));
    next.status ??= {};
    next.status.conditions = replaceCondition(next.status.conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
    await req.deps.store.update(req.clusterId, 'pods', next);
  }
  return json(201, { ...successStatus({}), code: 201 });
}
