import type { KubeObject } from '../../kube/types.ts';
import { StoreError } from '../../store/errors.ts';
import type { CreateAdmission } from './admission.ts';
import type { Pass } from './pass.ts';

/**
 * The ReplicaSet controller's slowStartBatch: create in batches of 1, 2, 4, 8... so a create that
 * keeps failing costs one call, not hundreds. Each batch is one atomic store commit, with the quota
 * usage its objects add. Stops at the first failing batch; returns what was created.
 */
export async function createInSlowStartBatches<T extends KubeObject>(
  pass: Pass,
  objects: T[],
  admission: CreateAdmission,
): Promise<{ created: T[]; error?: StoreError }> {
  const created: T[] = [];
  let batch = 1;
  let next = 0;
  while (next < objects.length) {
    const chunk = objects.slice(next, next + batch);
    pass.spend(chunk.length);
    let out: KubeObject[] | undefined;
    try {
      out = await pass.store.commit(pass.clusterId, await admission.createOps(chunk));
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      await admission.settle(chunk, undefined);
      admission.abandon(objects.slice(next + chunk.length));
      // A bound the commit refused (the plan's pods per cluster) is reported, not retried at once.
      if (err.reason !== 'Forbidden') pass.markRaced();
      return { created, error: err };
    }
    await admission.settle(chunk, out);
    // The store answers each create with the object as stored: the same kind.
    created.push(...(out.slice(0, chunk.length) as T[]));
    next += chunk.length;
    batch *= 2;
  }
  return { created };
}
