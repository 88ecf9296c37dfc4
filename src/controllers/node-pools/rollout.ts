import type { KubeObject } from '../../kube/types.ts';
import type { Pass } from '../shared/pass.ts';
import { zonesOf, type Provider } from '../../billing/catalog.ts';
import { isoTime } from '../../lib/clock.ts';
import type { ClusterRow, NodePoolRow } from '../../store/rows.ts';
import { KATES_POOL_LABEL, nodeVersion, poolVersion } from '../../clusters/nodes.ts';
import { newPoolNodes } from '../../clusters/pool-nodes.ts';
import { surgePlan } from '../../clusters/upgrade-settings.ts';
import { cordon, DRAIN_ANNOTATION, drainStep, isDraining, isSurge, SURGE_ANNOTATION } from './drain.ts';
import { syncPoolMetadata } from './metadata.ts';

export interface PoolWorld {
  cluster: ClusterRow;
  nodes: KubeObject[];
  podsByNode: Map<string, KubeObject[]>;
}

export interface PoolStep {
  done: boolean;
  failed?: string;
  nodesTotal: number;
  /** Nodes that match the pool's spec and are not draining. */
  nodesDone: number;
  surgeNodes: number;
}

const ordinalOf = (n: KubeObject) => Number(n.metadata.annotations?.['kates.dev/ordinal'] ?? -1);
const byOrdinal = (a: KubeObject, b: KubeObject) => ordinalOf(a) - ordinalOf(b);

/** Whether a node is what its pool asks for now: version, machine type and capacity type. */
export function matchesPool(cluster: ClusterRow, pool: NodePoolRow, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const spot =
    labels['eks.amazonaws.com/capacityType'] === 'SPOT' ||
    labels['cloud.google.com/gke-spot'] === 'true' ||
    labels['kubernetes.azure.com/scalesetpriority'] === 'spot';
  return (
    nodeVersion(node) === poolVersion(cluster, pool) &&
    labels['node.kubernetes.io/instance-type'] === pool.instanceType &&
    spot === (pool.capacityType === 'SPOT')
  );
}

function reasonFor(cluster: ClusterRow, pool: NodePoolRow, node: KubeObject): string {
  if (nodeVersion(node) !== poolVersion(cluster, pool)) return `upgrade of node pool ${pool.name} to ${poolVersion(cluster, pool)}`;
  if (node.metadata.labels?.['node.kubernetes.io/instance-type'] !== pool.instanceType) return `node pool ${pool.name} moves to ${pool.instanceType}`;
  return `node pool ${pool.name} changes`;
}

/**
 * One pass of a pool's rollout with the provider's surge model: drains in progress advance (a
 * drained old node is removed, and one surge node stops being surge), new nodes at the pool's spec
 * join up to `count + maxSurge`, and more old nodes are cordoned and drained while at least
 * `count − maxUnavailable` schedulable nodes remain and fewer than the provider's parallelism are
 * draining. A smaller count drains the extra nodes; labels and taints change in place.
 */
export async function rollPool(pass: Pass, w: PoolWorld, pool: NodePoolRow): Promise<PoolStep> {
  const provider = w.cluster.provider as Provider;
  const zones = (JSON.parse(pool.zones) as string[]).length || zonesOf(provider, w.cluster.region).length;
  const plan = surgePlan(provider, pool, pool.count, zones);
  let mine = w.nodes.filter((n) => n.metadata.labels?.[KATES_POOL_LABEL] === pool.name).sort(byOrdinal);

  // 1. Drains in progress.
  for (const node of mine.filter(isDraining)) {
    const surge = mine.find((n) => isSurge(n) && !isDraining(n));
    const r = await drainStep(pass, provider, node, w.podsByNode.get(node.metadata.name!) ?? [], surge);
    if (r.state === 'failed') return { ...summary(w.cluster, pool, mine), done: false, failed: r.message };
    if (r.state === 'removed') {
      mine = mine.filter((n) => n !== node);
      // The removal's commit took the surge mark off one surge node: count it as an ordinary member from here.
      if (surge)
        mine = mine.map((n) =>
          n === surge ? { ...n, metadata: { ...n.metadata, annotations: { ...n.metadata.annotations, [SURGE_ANNOTATION]: 'false' } } } : n,
        );
    }
  }
  const draining = mine.filter(isDraining);
  const outdated = mine.filter((n) => !isDraining(n) && !matchesPool(w.cluster, pool, n));
  const current = mine.filter((n) => !isDraining(n) && matchesPool(w.cluster, pool, n));

  // 2. New nodes: up to the pool's size, with up to maxSurge above it while old nodes remain.
  const room =
    outdated.length > 0 ? Math.min(pool.count - current.length, pool.count + plan.surge - mine.length) : pool.count - current.length - draining.length;
  if (room > 0) {
    const fresh = newPoolNodes(w.cluster, pool, w.nodes, room, isoTime(pass.nowMs));
    fresh.forEach((node, i) => {
      if (mine.length + i >= pool.count) node.metadata.annotations![SURGE_ANNOTATION] = 'true';
    });
    const written = await pass.commit(fresh.map((object) => ({ op: 'create', resource: 'nodes', object })));
    for (const node of written) {
      if (!node) continue;
      current.push(node);
      mine.push(node);
      await pass.event(
        node,
        'Normal',
        isSurge(node) ? 'SurgeNode' : 'RegisteredNode',
        `Node ${node.metadata.name} (${pool.instanceType}, kubelet ${node.status?.nodeInfo?.kubeletVersion}) joined node pool ${pool.name}${isSurge(node) ? ' as a surge node' : ''}`,
      );
    }
  }

  // 3. Start drains: old nodes within the surge budget, or the nodes above a smaller count.
  const schedulable = mine.filter((n) => !isDraining(n) && n.spec?.unschedulable !== true).length;
  const toStart =
    outdated.length > 0
      ? outdated.slice(0, Math.max(0, Math.min(plan.concurrency - draining.length, schedulable - (pool.count - plan.unavailable))))
      : current.slice(pool.count).reverse();
  for (const node of toStart) await cordon(pass, node, reasonFor(w.cluster, pool, node));

  // 4. Labels and taints of the nodes that stay; once nothing old is left no node is surge any more.
  const staying = current.filter((n) => !toStart.includes(n));
  if (outdated.length === 0 && mine.length - draining.length <= pool.count) {
    for (const node of staying.filter(isSurge)) {
      const plain = structuredClone(node);
      delete plain.metadata.annotations![SURGE_ANNOTATION];
      await pass.attempt(() => pass.store.update(pass.clusterId, 'nodes', plain));
    }
  }
  await syncPoolMetadata(
    pass,
    pool,
    staying.filter((n) => !isSurge(n) || outdated.length > 0),
  );

  const after = mine.map((n) =>
    toStart.includes(n) ? { ...n, metadata: { ...n.metadata, annotations: { ...n.metadata.annotations, [DRAIN_ANNOTATION]: String(pass.nowMs) } } } : n,
  );
  const s = summary(w.cluster, pool, after);
  return {
    ...s,
    done:
      outdated.length === 0 &&
      draining.length === 0 &&
      toStart.length === 0 &&
      room <= 0 &&
      s.nodesDone === pool.count &&
      after.length === pool.count &&
      !pass.hasRaced,
  };
}

/** Deleting a pool: every node is cordoned and drained (evictions honour PodDisruptionBudgets), then removed. */
export async function drainPoolAway(pass: Pass, w: PoolWorld, pool: NodePoolRow): Promise<PoolStep> {
  const provider = w.cluster.provider as Provider;
  const mine = w.nodes.filter((n) => n.metadata.labels?.[KATES_POOL_LABEL] === pool.name);
  let left = mine.length;
  for (const node of mine) {
    if (!isDraining(node)) {
      await cordon(pass, node, `node pool ${pool.name} is being deleted`);
      continue;
    }
    const r = await drainStep(pass, provider, node, w.podsByNode.get(node.metadata.name!) ?? [], undefined);
    if (r.state === 'failed') return { done: false, failed: r.message, nodesTotal: mine.length, nodesDone: mine.length - left, surgeNodes: 0 };
    if (r.state === 'removed') left--;
  }
  return { done: left === 0 && !pass.hasRaced, nodesTotal: pool.count, nodesDone: pool.count - Math.min(pool.count, left), surgeNodes: 0 };
}

function summary(cluster: ClusterRow, pool: NodePoolRow, mine: KubeObject[]): Omit<PoolStep, 'done'> {
  const ok = mine.filter((n) => !isDraining(n) && matchesPool(cluster, pool, n)).length;
  return { nodesTotal: pool.count, nodesDone: Math.min(pool.count, ok), surgeNodes: Math.max(0, mine.length - pool.count) };
}
