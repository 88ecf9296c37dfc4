import type { KubeObject } from '../kube/types.ts';
import { StoreError } from '../store/errors.ts';
import type { ObjectStore, WriteOp } from '../store/objects.ts';

const CHUNK = 100;

/**
 * Writes kubelet results in batched commits, each guarded by the resourceVersion the kubelet read.
 * A batch that hits a conflict is retried one write at a time; the losers are skipped (their pod
 * changed, which triggers another pass that sees the new version). Returns how many were skipped.
 */
export async function writeGuarded(store: ObjectStore, clusterId: string, ops: WriteOp[], chunkSize = CHUNK): Promise<{ written: number; skipped: number; results: Array<KubeObject | undefined> }> {
  let written = 0;
  let skipped = 0;
  // The stored object after each op (its new resourceVersion), undefined when it was skipped.
  const results: Array<KubeObject | undefined> = new Array(ops.length);
  for (let i = 0; i < ops.length; i += chunkSize) {
    const chunk = ops.slice(i, i + chunkSize);
    try {
      (await store.commit(clusterId, chunk)).forEach((o, k) => (results[i + k] = o));
      written += chunk.length;
    } catch (err) {
      if (!isLostRace(err)) throw err;
      for (let k = 0; k < chunk.length; k++) {
        try {
          results[i + k] = (await store.commit(clusterId, [chunk[k]]))[0];
          written++;
        } catch (e) {
          if (!isLostRace(e)) throw e;
          skipped++;
        }
      }
    }
  }
  return { written, skipped, results };
}

function isLostRace(err: unknown): boolean {
  return err instanceof StoreError && (err.reason === 'Conflict' || err.reason === 'NotFound');
}

export function updateOp(resource: string, object: KubeObject): WriteOp {
  return { op: 'update', resource, object };
}

/** The kubelet's final delete of a pod it stopped (grace 0), only if it is still the same pod version. */
export function finalDeleteOp(pod: KubeObject): WriteOp {
  return { op: 'delete', resource: 'pods', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name!, uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion };
}
