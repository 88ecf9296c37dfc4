import type { KubeObject } from '../kube/types.ts';
import { StoreError } from '../store/errors.ts';
import type { ObjectStore } from '../store/objects.ts';
import { imageId, imageSizeBytes } from './images.ts';

/** The kubelet reports at most this many images in node status (`nodeStatusMaxImages`). */
const MAX_IMAGES = 50;

/** Adds freshly pulled images to `status.images` of their nodes (the scheduler's ImageLocality reads it). */
export async function recordNodeImages(store: ObjectStore, clusterId: string, pulled: Map<string, Set<string>>): Promise<void> {
  for (const [nodeName, images] of pulled) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const node = await store.get(clusterId, 'nodes', '', nodeName);
      if (!node) break;
      const next = withImages(node, images);
      if (!next) break;
      try {
        await store.update(clusterId, 'nodes', next);
        break;
      } catch (err) {
        if (!(err instanceof StoreError && err.reason === 'Conflict')) throw err;
      }
    }
  }
}

function withImages(node: KubeObject, images: Set<string>): KubeObject | undefined {
  const current: Array<{ names: string[]; sizeBytes: number }> = node.status?.images ?? [];
  const known = new Set(current.flatMap((i) => i.names));
  const added = [...images].filter((i) => !known.has(i));
  if (added.length === 0) return undefined;
  const next = structuredClone(node);
  next.status ??= {};
  const all = [...current, ...added.map((name) => ({ names: [imageId(name), name], sizeBytes: imageSizeBytes(name) }))];
  // The kubelet lists the largest images first.
  next.status.images = all.sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, MAX_IMAGES);
  return next;
}
