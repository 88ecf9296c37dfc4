import type { KubeObject } from '../kube/types.ts';
import { StoreError } from '../store/errors.ts';
import type { ObjectStore, WriteOp } from '../store/objects.ts';

const CHUNK = 100;

/**
 * Writes kubelet results in batched commits, each guarded by the resourceVersion the kubelet read.
 * A batch that hits a conflict is retried one write at a time; the losers are skipped (their pod
 * changed, which triggers another pass that sees the new version). Returns how many were skipped.
 */
export async function writeGuarded(store: ObjectStore, clusterId: string, ops: WriteOp[]): Promise<{ written: number; skipped: number }> {
  let written = 0;
  let skipped = 0;
  for (let i = 0; i < ops.length; i += CHUNK) {
    const chunk = ops.slice(i, i + CHUNK);
    try {
      await store.commit(clusterId, chunk);
      written += chunk.length;
    } catch (err) {
      if (!isLostRace(err)) throw err;
      for (const op of chunk) {
        try {
          await store.commit(clusterId, [op]);
          written++;
        } catch (e) {
          if (!isLostRace(e)) throw e;
          skipped++;
        }
      }
    }
  }
  return { written, skipped };
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
