import type { KubeObject } from '../../kube/types.ts';
import { isoTime } from '../../lib/clock.ts';
import { hourlyPriceOf, type Provider } from '../../billing/catalog.ts';
import { buildNode, KATES_POOL_LABEL } from '../../clusters/nodes.ts';
import type { ClusterRow, NodePoolRow } from '../../store/rows.ts';
import { daemonPodTolerations, nodeShouldRunDaemonPod } from '../../controllers/daemonset/placement.ts';
import { nodeInfoFor } from '../../scheduler/index.ts';
import type { NodeInfo } from '../../scheduler/index.ts';

/** A node pool as the cluster autoscaler sees it: bounds, target size, price and its template node. */
export interface NodeGroup {
  name: string;
  instanceType: string;
  minSize: number;
  maxSize: number;
  /** The pool's `count`: the size asked of the provider, booting nodes included. */
  targetSize: number;
  /** On-demand price per node-hour in micro-USD (undefined when the region lacks the type). */
  hourlyMicroUsd?: number;
  /** A Node object shaped like this pool's nodes. */
  templateNode: KubeObject;
  /** The DaemonSet pods a new node of this pool would run. */
  daemonPods: KubeObject[];
}

export const TEMPLATE_PREFIX = 'template-node-for-';

/** Pods a DaemonSet would put on `node` (the template includes them: they take room on a new node). */
export function daemonPodsFor(node: KubeObject, daemonSets: KubeObject[]): KubeObject[] {
  const out: KubeObject[] = [];
  for (const ds of daemonSets) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    const template = ds.spec?.template ?? {};
    out.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${ds.metadata.name}-${node.metadata.name}`,
        namespace: ds.metadata.namespace,
        uid: `${ds.metadata.uid}-${node.metadata.name}`,
        labels: template.metadata?.labels ?? {},
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name!, uid: ds.metadata.uid ?? '', controller: true }],
      },
      spec: { ...(template.spec ?? {}), tolerations: daemonPodTolerations(template.spec), nodeName: node.metadata.name },
      status: { phase: 'Running' },
    });
  }
  return out;
}

/** The node groups of a cluster: its pools with autoscaling on (not while an operation replaces or drains their nodes). */
export function nodeGroupsOf(cluster: ClusterRow, pools: NodePoolRow[], daemonSets: KubeObject[], nowMs: number): NodeGroup[] {
  return pools
    .filter((p) => p.autoscaling && (p.status ?? 'READY') === 'READY')
    .map((pool) => {
      const node = buildNode(cluster, pool, { ordinal: 0, slot: 0 }, isoTime(nowMs));
      renameNode(node, `${TEMPLATE_PREFIX}${pool.name}`);
      return {
        name: pool.name,
        instanceType: pool.instanceType,
        minSize: pool.minCount,
        maxSize: pool.maxCount,
        targetSize: pool.count,
        hourlyMicroUsd: hourlyPriceOf(cluster.provider as Provider, cluster.region, pool.instanceType),
        templateNode: node,
        daemonPods: daemonPodsFor(node, daemonSets),
      };
    });
}

function renameNode(node: KubeObject, name: string): void {
  node.metadata.name = name;
  node.metadata.labels = { ...(node.metadata.labels ?? {}), 'kubernetes.io/hostname': name };
}

/** The `i`-th imaginary new node of a group, with its DaemonSet pods, for scheduling simulations. */
export function templateNodeInfo(group: NodeGroup, i: number, priorityClasses?: Map<string, KubeObject>): NodeInfo {
  const node = structuredClone(group.templateNode);
  renameNode(node, `${TEMPLATE_PREFIX}${group.name}-${i}`);
  const pods = group.daemonPods.map((p) => ({
    ...p,
    metadata: { ...p.metadata, uid: `${p.metadata.uid}-${i}` },
    spec: { ...p.spec, nodeName: node.metadata.name },
  }));
  return nodeInfoFor(node, pods, priorityClasses);
}

/** The pool a node belongs to, from the label kates puts on every pool node. */
export function poolOfNode(node: KubeObject): string | undefined {
  return node.metadata.labels?.[KATES_POOL_LABEL];
}
