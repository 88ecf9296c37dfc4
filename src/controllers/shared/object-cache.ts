import type { ObjectOf } from '../../kube/objects.ts';
import type { ObjectStore } from '../../store/objects.ts';
import { objectCacheFor } from '../../store/object-cache/index.ts';

export { ObjectCache, objectCacheFor } from '../../store/object-cache/index.ts';

/**
 * Lists a resource of the pass's cluster through the process-wide object cache, so a pass over a
 * 5,000-pod cluster parses only what changed since the last pass instead of every pod.
 */
export function listCached<R extends string>(ctx: { store: ObjectStore; clusterId: string }, resource: R): Promise<ObjectOf<R>[]> {
  return objectCacheFor(ctx.store).list(ctx.clusterId, resource) as Promise<ObjectOf<R>[]>;
}
