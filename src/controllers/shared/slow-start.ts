import type { KubeObject } from '../../kube/types.ts';
import { StoreError } from '../../store/errors.ts';
import type { Pass } from './pass.ts';

/**
 * The ReplicaSet controller's slowStartBatch: create in batches of 1, 2, 4, 8... so a create that
 * keeps failing costs one call, not hundreds. Each batch is one atomic store commit. Stops at the
 * first failing batch; returns what was created.
 */
export async function createInSlowStartBatches(pass: Pass, resource: string, objects: KubeObject[]): Promise<{ created: KubeObject[]; error?: StoreError }> {
  const created: KubeObject[] = [];
  let batch = 1;
  let next = 0;
  while (next < objects.length) {
    const chunk = objects.slice(next, next + batch);
    pass.spend(chunk.length);
    try {
      const out = await pass.store.commit(
        pass.clusterId,
        chunk.map((object) => ({ op: 'create' as const, resource, object })),
      );
      created.push(...out);
    } catch (err) {
      if (err instanceof StoreError) {
        pass.markRaced();
        return { created, error: err };
      }
      throw err;
    }
    next += chunk.length;
    batch *= 2;
  }
  return { created };
}
