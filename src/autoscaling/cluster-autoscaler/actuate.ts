import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import type { ObjectStore, WriteOp } from '../../store/objects.ts';
import type { Taint } from '../../kube/objects.ts';
import type { KubeObject } from '../../kube/types.ts';
import { nodePools } from '../../store/schema/index.ts';
import { StoreError } from '../../store/errors.ts';
import { closeNodeInterval, syncPoolNodes } from '../../clusters/pool-nodes.ts';
import type { ClusterRow, NodePoolRow } from '../../store/rows.ts';

export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';
export const DELETION_CANDIDATE_TAINT = 'DeletionCandidateOfClusterAutoscaler';

/** Raises a pool's target size (the provider's desired capacity), unless someone changed it meanwhile. */
export async function setPoolTarget(database: Database, clusterId: string, pool: string, from: number, to: number): Promise<boolean> {
  const res = (await database.db
    .update(nodePools)
    .set({ count: to })
    .where(and(eq(nodePools.clusterId, clusterId), eq(nodePools.name, pool), eq(nodePools.count, from)))
    .run()) as { changes?: number; meta?: { changes?: number } };
  return (res.changes ?? res.meta?.changes ?? 0) === 1;
}

/** Creates `count` more nodes of a pool now (they finished booting), metered from this instant. */
export async function joinNodes(
  database: Database,
  store: ObjectStore,
  cluster: ClusterRow,
  pool: NodePoolRow,
  registered: number,
  count: number,
): Promise<string[]> {
  if (count <= 0) return [];
  const { added } = await syncPoolNodes(database, store, cluster, pool, registered + count);
  return added;
}

/**
 * Deletes a node the autoscaler drained (or found empty) together with whatever still runs there
 * (DaemonSet pods), closes its billing interval and lowers the pool's count, all in one commit.
 */
export async function deleteNode(database: Database, store: ObjectStore, cluster: ClusterRow, node: string, pool: string): Promise<void> {
  const pods = (await store.list(cluster.id, 'pods', { filter: (p) => p.spec?.nodeName === node })).items;
  const ops: WriteOp[] = pods.map((p) => ({ op: 'delete', resource: 'pods', namespace: p.metadata.namespace!, name: p.metadata.name! }));
  ops.push({ op: 'delete', resource: 'nodes', namespace: '', name: node });
  await store.commit(cluster.id, ops, {
    extra: (at) => [
      closeNodeInterval(database, cluster.id, node, at),
      {
        query: database.db
          .update(nodePools)
          .set({ count: sql`max(${nodePools.count} - 1, ${nodePools.minCount})` })
          .where(and(eq(nodePools.clusterId, cluster.id), eq(nodePools.name, pool))),
      },
    ],
  });
}

function withTaint(node: KubeObject, key: string, effect: string, value: string | undefined): KubeObject | undefined {
  const taints: Taint[] = node.spec?.taints ?? [];
  const has = taints.some((t) => t.key === key && t.effect === effect);
  if (value !== undefined && has) return undefined;
  if (value === undefined && !has) return undefined;
  const next = structuredClone(node);
  const rest = taints.filter((t) => !(t.key === key && t.effect === effect));
  next.spec = { ...(next.spec ?? {}), taints: value === undefined ? rest : [...rest, { key, value, effect }] };
  if (next.spec.taints.length === 0) delete next.spec.taints;
  return next;
}

async function updateNode(store: ObjectStore, clusterId: string, name: string, change: (n: KubeObject) => KubeObject | undefined): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const node = await store.get(clusterId, 'nodes', '', name);
    if (!node) return;
    const next = change(node);
    if (!next) return;
    try {
      await store.update(clusterId, 'nodes', next);
      return;
    } catch (err) {
      if (!(err instanceof StoreError && err.reason === 'Conflict')) throw err;
    }
  }
}

/** The soft taint on unneeded nodes: the scheduler prefers other nodes for new pods. */
export async function markDeletionCandidate(store: ObjectStore, clusterId: string, node: string, candidate: boolean, nowMs: number): Promise<void> {
  await updateNode(store, clusterId, node, (n) =>
    withTaint(n, DELETION_CANDIDATE_TAINT, 'PreferNoSchedule', candidate ? String(Math.floor(nowMs / 1000)) : undefined),
  );
}

export async function markToBeDeleted(store: ObjectStore, clusterId: string, node: string, on: boolean, nowMs: number): Promise<void> {
  await updateNode(store, clusterId, node, (n) => withTaint(n, TO_BE_DELETED_TAINT, 'NoSchedule', on ? String(Math.floor(nowMs / 1000)) : undefined));
}
