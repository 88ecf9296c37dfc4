import { and, eq, isNull } from 'drizzle-orm';
import type { ObjectStore, WriteOp } from '../store/objects.ts';
import type { Database, WriteStatement } from '../store/db.ts';
import { usageIntervals } from '../store/schema/index.ts';
import { isoTime } from '../lib/clock.ts';
import type { KubeObject } from '../kube/types.ts';
import { StoreError } from '../store/errors.ts';
import { buildNode, KATES_POOL_LABEL } from './nodes.ts';
import type { ClusterRow, NodePoolRow } from '../store/rows.ts';

/** Ends a node's metering interval. The store's metering hook already closes it in the write that
 * deletes the node; closing again in that write changes nothing, so older callers stay harmless. */
export function closeNodeInterval(database: Database, clusterId: string, nodeName: string, atMs: number): WriteStatement {
  return {
    query: database.db
      .update(usageIntervals)
      .set({ endedAt: atMs })
      .where(
        and(eq(usageIntervals.clusterId, clusterId), eq(usageIntervals.kind, 'node'), eq(usageIntervals.subject, nodeName), isNull(usageIntervals.endedAt)),
      ),
  };
}

/**
 * Makes a pool's Node objects match its count: adds the lowest free ordinals, removes the highest.
 * Idempotent. Billing follows the Node writes (the store's metering hook opens and closes intervals).
 */
export async function syncPoolNodes(
  database: Database,
  store: ObjectStore,
  cluster: ClusterRow,
  pool: NodePoolRow,
  count = pool.count,
): Promise<{ added: string[]; removed: string[] }> {
  const nodes = (await store.list(cluster.id, 'nodes')).items;
  const mine = nodes.filter((n) => n.metadata.labels?.[KATES_POOL_LABEL] === pool.name);
  const ordinalOf = (n: KubeObject) => Number(n.metadata.annotations?.['kates.dev/ordinal'] ?? -1);
  const added: string[] = [];
  const removed: string[] = [];

  if (mine.length < count) {
    const now = await store.clusterNow(cluster.id);
    const fresh = newPoolNodes(cluster, pool, nodes, count - mine.length, isoTime(now));
    await store.commit(
      cluster.id,
      fresh.map((object) => ({ op: 'create', resource: 'nodes', object }) as WriteOp),
    );
    added.push(...fresh.map((n) => n.metadata.name!));
  } else if (mine.length > count) {
    const victims = [...mine].sort((a, b) => ordinalOf(b) - ordinalOf(a)).slice(0, mine.length - count);
    for (const node of victims) {
      await removeNode(database, store, cluster, node.metadata.name!);
      removed.push(node.metadata.name!);
    }
  }
  return { added, removed };
}

/**
 * `n` new Node objects for a pool, on the lowest ordinals free in the pool and the lowest slots (pod
 * CIDR, address) free in the cluster. Deterministic in the nodes that exist, so a retried write
 * builds the same names.
 */
export function newPoolNodes(cluster: ClusterRow, pool: NodePoolRow, nodes: KubeObject[], n: number, nowIso: string): KubeObject[] {
  const ordinalOf = (node: KubeObject) => Number(node.metadata.annotations?.['kates.dev/ordinal'] ?? -1);
  const usedOrdinals = new Set(nodes.filter((node) => node.metadata.labels?.[KATES_POOL_LABEL] === pool.name).map(ordinalOf));
  const usedSlots = new Set(nodes.map((node) => Number(node.metadata.annotations?.['kates.dev/slot'] ?? -1)));
  const out: KubeObject[] = [];
  let ordinal = 0;
  let slot = 1;
  for (let i = 0; i < n; i++) {
    while (usedOrdinals.has(ordinal)) ordinal++;
    while (usedSlots.has(slot)) slot++;
    usedOrdinals.add(ordinal);
    usedSlots.add(slot);
    const node = buildNode(cluster, pool, { ordinal, slot }, nowIso);
    node.metadata.annotations!['kates.dev/ordinal'] = String(ordinal);
    out.push(node);
  }
  return out;
}

/** Removes a node and the pods bound to it (their controllers replace them); their intervals close with it. */
export async function removeNode(_database: Database, store: ObjectStore, cluster: ClusterRow, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (!(await store.get(cluster.id, 'nodes', '', name))) return;
    const pods = (await store.list(cluster.id, 'pods', { filter: (p) => p.spec?.nodeName === name })).items;
    const ops: WriteOp[] = pods.map((p) => ({ op: 'delete', resource: 'pods', namespace: p.metadata.namespace!, name: p.metadata.name! }));
    ops.push({ op: 'delete', resource: 'nodes', namespace: '', name });
    try {
      await store.commit(cluster.id, ops);
      return;
    } catch (err) {
      // A pod went away between the list and the write: list again.
      if (!(err instanceof StoreError && err.reason === 'NotFound') || attempt >= 5) throw err;
    }
  }
}
