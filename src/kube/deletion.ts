import { isoTime } from '../lib/clock.ts';
import type { ObjectStore, WriteOp } from '../store/objects.ts';
import { StoreError } from '../store/errors.ts';
import type { KubeObject } from './types.ts';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/**
 * Kubernetes deletion semantics shared by the API and the controllers:
 * - Orphan / Foreground add their finalizer, and the garbage collector finishes the job;
 * - a pod bound to a node is only marked (deletionTimestamp + grace period): the kubelet removes it;
 * - an object with finalizers gets deletionTimestamp and stays until they are gone;
 * - anything else is removed now; its dependents are then deleted in the background by the GC.
 * Returns the object as it is after the call and whether it is gone.
 */
export async function requestDeletion(
  store: ObjectStore,
  clusterId: string,
  resource: string,
  namespace: string,
  name: string,
  opts: DeleteOptions = {},
): Promise<{ object: KubeObject; deleted: boolean }> {
  for (let attempt = 0; ; attempt++) {
    const obj = await store.mustGet(clusterId, resource, namespace, name);
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== obj.metadata.uid) {
      throw new StoreError('Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`, {
        resource,
        namespace,
        name,
      });
    }
    if (pre.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
      throw new StoreError(
        'Conflict',
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
        { resource, namespace, name },
      );
    }
    const marked = markForDeletion(obj, resource, opts, await store.clusterNow(clusterId));
    try {
      if (marked) {
        const updated = await store.update(clusterId, resource, marked);
        return { object: updated, deleted: false };
      }
      const gone = await store.commit(clusterId, [{ op: 'delete', resource, namespace, name, resourceVersion: obj.metadata.resourceVersion }]);
      return { object: gone[0], deleted: true };
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'Conflict' && attempt < 5) continue;
      throw err;
    }
  }
}

/**
 * requestDeletion as a write on an object already read (a controller's snapshot), to commit with
 * others in one atomic write: the marked object, or its removal, guarded by the resourceVersion
 * read, so an object that changed since fails the commit instead of being judged on stale state.
 */
export function deletionOp(resource: string, obj: KubeObject, opts: DeleteOptions, nowMs: number): WriteOp {
  const marked = markForDeletion(obj, resource, opts, nowMs);
  if (marked) return { op: 'update', resource, object: marked };
  const { namespace = '', name, resourceVersion, uid } = obj.metadata;
  return { op: 'delete', resource, namespace, name: name!, resourceVersion, uid };
}

/** The object with its deletion marks, or null when it can be removed right away. */
function markForDeletion(obj: KubeObject, resource: string, opts: DeleteOptions, nowMs: number): KubeObject | null {
  const next = structuredClone(obj);
  const meta = next.metadata;
  const finalizers = new Set(meta.finalizers ?? []);
  const policy = opts.propagationPolicy ?? defaultPolicy(resource);
  if (!meta.deletionTimestamp) {
    if (policy === 'Orphan') finalizers.add(ORPHAN_FINALIZER);
    if (policy === 'Foreground') finalizers.add(FOREGROUND_FINALIZER);
  }
  let grace = 0;
  if (resource === 'pods' && next.spec?.nodeName && !isTerminal(next)) {
    grace = opts.gracePeriodSeconds ?? next.spec?.terminationGracePeriodSeconds ?? 30;
  }
  if (finalizers.size === 0 && grace === 0) return null;
  if (meta.deletionTimestamp) {
    // Already terminating: a shorter grace period may still shorten it, as on a real API server.
    if (grace > 0 && grace < (meta.deletionGracePeriodSeconds ?? Infinity)) {
      meta.deletionGracePeriodSeconds = grace;
      meta.deletionTimestamp = isoTime(nowMs + grace * 1000);
      return next;
    }
    if (finalizers.size === 0 && opts.gracePeriodSeconds === 0) return null;
    return next;
  }
  meta.finalizers = [...finalizers];
  meta.deletionTimestamp = isoTime(nowMs + grace * 1000);
  meta.deletionGracePeriodSeconds = grace;
  return next;
}

/** Kubernetes' default: Background everywhere (the legacy Orphan default of extensions/v1beta1 is gone). */
function defaultPolicy(_resource: string): PropagationPolicy {
  return 'Background';
}

function isTerminal(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Removes a finalizer; when none remain on an object being deleted, the object goes. */
export async function removeFinalizer(store: ObjectStore, clusterId: string, resource: string, obj: KubeObject, finalizer: string): Promise<void> {
  const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  const ns = obj.metadata.namespace ?? '';
  if (rest.length === 0 && obj.metadata.deletionTimestamp && !(resource === 'pods' && obj.metadata.deletionGracePeriodSeconds)) {
    await store.commit(clusterId, [{ op: 'delete', resource, namespace: ns, name: obj.metadata.name!, uid: obj.metadata.uid }]);
    return;
  }
  const next = structuredClone(obj);
  next.metadata.finalizers = rest;
  await store.update(clusterId, resource, next);
}
