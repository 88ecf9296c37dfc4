import type { KubeObject } from '../../kube/types.ts';
import type { Pass } from '../shared/pass.ts';
import type { NodePoolRow } from '../../store/rows.ts';
import { POOL_LABELS_ANNOTATION, POOL_TAINTS_ANNOTATION, poolMetadataAnnotations } from '../../clusters/nodes.ts';

type Taint = { key: string; value?: string; effect: string };
const SPOT_TAINT = 'kubernetes.azure.com/scalesetpriority';

/**
 * Labels and taints a pool gives its nodes, edited in place as GKE and AKS do (no node is replaced):
 * the pool's current ones are set, the ones it had before and no longer has are removed, anything
 * else on the node (kubectl label, the autoscaler's taints) is left alone.
 */
export async function syncPoolMetadata(pass: Pass, pool: NodePoolRow, nodes: KubeObject[]): Promise<void> {
  const labels = JSON.parse(pool.labels) as Record<string, string>;
  const taints = JSON.parse(pool.taints) as Taint[];
  const wantAnnotations = poolMetadataAnnotations(labels, taints);
  for (const node of nodes) {
    const a = node.metadata.annotations ?? {};
    if (
      a[POOL_LABELS_ANNOTATION] === wantAnnotations[POOL_LABELS_ANNOTATION] &&
      a[POOL_TAINTS_ANNOTATION] === wantAnnotations[POOL_TAINTS_ANNOTATION] &&
      Object.entries(labels).every(([k, v]) => node.metadata.labels?.[k] === v)
    )
      continue;
    const next = structuredClone(node);
    const oldLabels = JSON.parse(a[POOL_LABELS_ANNOTATION] ?? '[]') as string[];
    const oldTaints = new Set(JSON.parse(a[POOL_TAINTS_ANNOTATION] ?? '[]') as string[]);
    const nextLabels = { ...(next.metadata.labels ?? {}) };
    for (const k of oldLabels) if (!(k in labels)) delete nextLabels[k];
    next.metadata.labels = { ...nextLabels, ...labels };
    const kept = ((next.spec?.taints ?? []) as Taint[]).filter(
      (t) => t.key === SPOT_TAINT || (!oldTaints.has(`${t.key}:${t.effect}`) && !taints.some((w) => w.key === t.key && w.effect === t.effect)),
    );
    const all = [...kept, ...taints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect }))];
    next.spec = { ...(next.spec ?? {}), taints: all };
    if (all.length === 0) delete next.spec.taints;
    next.metadata.annotations = { ...a, ...wantAnnotations };
    await pass.attempt(() => pass.store.update(pass.clusterId, 'nodes', next));
  }
}
