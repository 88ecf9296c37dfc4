import { and, eq, ne, sql } from 'drizzle-orm';
import type { ObjectStore } from '../../store/objects.ts';
import { clusters, nodePools, tenants } from '../../store/schema/index.ts';
import { planOf } from '../../clusters/plans.ts';
import type { ClusterRow, NodePoolRow } from '../../store/rows.ts';
import { getCluster, poolsOf } from '../../clusters/lookups.ts';
import { deleteNode, joinNodes, setPoolTarget } from './actuate.ts';
import { decisionStatement, type DecisionEvent } from './events-log.ts';
import type { AutoscalerSettings } from './settings.ts';

/**
 * The cluster autoscaler's cloud provider (upstream's CloudProvider): the cluster and its node
 * pools, and the actions on them. The loop's only door to the platform tables; objects it reads
 * and writes through its pass.
 */
export interface NodeGroupProvider {
  cluster(): Promise<ClusterRow | undefined>;
  pools(): Promise<NodePoolRow[]>;
  /** Nodes the cluster may still add: max-nodes-total and the tenant plan's node quota. */
  room(cluster: ClusterRow, settings: AutoscalerSettings): Promise<number>;
  /** Raises a pool's target size, unless someone changed it meanwhile (then false). */
  setTarget(pool: string, from: number, to: number): Promise<boolean>;
  /** Lowers pools' target sizes by instances that were given up (never below their minimum). */
  shrink(lost: Map<string, number>): Promise<void>;
  /** Booted instances join as Nodes; returns their names. */
  join(cluster: ClusterRow, pool: NodePoolRow, registered: number, count: number): Promise<string[]>;
  /** Deletes a drained or empty node with what still runs there, its billing interval and its pool's count. */
  deleteNode(cluster: ClusterRow, node: string, pool: string): Promise<void>;
  /** Appends decisions to the cluster's control-plane event log. */
  logDecisions(cluster: ClusterRow, events: DecisionEvent[], atMs: number): Promise<void>;
}

export function nodeGroupProvider(store: ObjectStore, clusterId: string): NodeGroupProvider {
  const { database } = store;
  const { db } = database;
  const poolCount = async (id: string) =>
    (await db.select({ count: nodePools.count }).from(nodePools).where(eq(nodePools.clusterId, id)).all()).reduce((s, p) => s + p.count, 0);
  return {
    cluster: () => getCluster(database, clusterId),
    pools: () => poolsOf(database, clusterId),
    async room(cluster, settings) {
      let room = settings.maxNodesTotal > 0 ? settings.maxNodesTotal - (await poolCount(cluster.id)) : Infinity;
      const tenant = await db.select({ plan: tenants.plan }).from(tenants).where(eq(tenants.id, cluster.tenantId)).get();
      if (tenant) {
        const live = await db
          .select({ id: clusters.id })
          .from(clusters)
          .where(and(eq(clusters.tenantId, cluster.tenantId), ne(clusters.status, 'DELETED')))
          .all();
        let used = 0;
        for (const c of live) used += await poolCount(c.id);
        room = Math.min(room, planOf(tenant.plan).maxNodes - used);
      }
      return room;
    },
    setTarget: (pool, from, to) => setPoolTarget(database, clusterId, pool, from, to),
    async shrink(lost) {
      if (lost.size === 0) return;
      await database.atomicWrite(
        [...lost.entries()].map(([group, n]) => ({
          query: db
            .update(nodePools)
            .set({ count: sql`max(${nodePools.count} - ${n}, ${nodePools.minCount})` })
            .where(and(eq(nodePools.clusterId, clusterId), eq(nodePools.name, group))),
        })),
      );
    },
    join: (cluster, pool, registered, count) => joinNodes(database, store, cluster, pool, registered, count),
    deleteNode: (cluster, node, pool) => deleteNode(database, store, cluster, node, pool),
    async logDecisions(cluster, events, atMs) {
      if (events.length) await database.atomicWrite(events.map((e) => decisionStatement(database, cluster, e, atMs)));
    },
  };
}
