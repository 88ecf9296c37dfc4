import type { KubeObject } from '../types.ts';
import { toServed } from '../objects/encode.ts';
import { isPlainObject } from '../patch/merge.ts';
import { badRequest } from '../status.ts';
import { loadObject } from './read.ts';
import { isDryRun, json, type KubeRequest, type KubeResponse } from './context.ts';

/**
 * namespaces/<ns>/finalize: replaces `spec.finalizers`. A terminating namespace left with no
 * finalizers is removed, which is how the namespace controller completes a deletion.
 */
export async function handleFinalize(req: KubeRequest, body: unknown): Promise<KubeResponse> {
  if (!isPlainObject(body)) throw badRequest('the body of the request must be a Namespace');
  const ns = await loadObject(req, req.name!);
  const finalizers = ((body as KubeObject).spec?.finalizers ?? []) as string[];
  const next = structuredClone(ns);
  next.spec = { ...(next.spec ?? {}), finalizers };
  if (isDryRun(req)) return json(200, toServed(req.def, next));
  if (next.metadata.deletionTimestamp && finalizers.length === 0 && (next.metadata.finalizers ?? []).length === 0) {
    const [gone] = await req.deps.store.commit(req.clusterId, [{ op: 'delete', resource: 'namespaces', namespace: '', name: req.name!, uid: ns.metadata.uid }]);
    return json(200, toServed(req.def, gone));
  }
  return json(200, toServed(req.def, await req.deps.store.update(req.clusterId, 'namespaces', next)));
}
