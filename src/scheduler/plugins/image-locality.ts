import { MAX_NODE_SCORE, type ScorePlugin } from '../plugin.ts';

const MB = 1024 * 1024;
/** Below 23 MiB of cached images a node scores 0; the ceiling is 1000 MiB per container. */
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/**
 * Prefers nodes that already hold the pod's images, each image weighted by how many nodes have it
 * (an image on every node gives no advantage).
 */
export const imageLocality: ScorePlugin = {
  name: 'ImageLocality',
  preScore(_state, pod, _nodes, snapshot) {
    // No node holds any of the images: every node would score 0.
    return pod.images.some((i) => snapshot.imageNodeCounts.has(i)) ? undefined : 'skip';
  },
  score(_state, pod, node, snapshot) {
    if (pod.images.length === 0) return 0;
    const total = snapshot.nodes.length || 1;
    let sum = 0;
    for (const image of pod.images) {
      const size = node.images.get(image);
      if (size === undefined) continue;
      sum += Math.trunc(size * ((snapshot.imageNodeCounts.get(image) ?? 0) / total));
    }
    const max = MAX_CONTAINER_THRESHOLD * pod.images.length;
    const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), max);
    return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
  },
};
