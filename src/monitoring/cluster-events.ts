import { and, desc, eq, gte } from 'drizzle-orm';
import type { Database, Db, WriteStatement } from '../store/db.ts';
import { clusterEvents } from '../store/schema/index.ts';

/** Where a control-plane event comes from; shown next to the cluster's Kubernetes Events. */
export type ControlPlaneSource = 'provisioning' | 'scaling' | 'autoscaler' | 'billing' | 'nodes' | 'control-plane';

export interface ControlPlaneEvent {
  clusterId: string;
  tenantId: string;
  source: ControlPlaneSource;
  type: 'Normal' | 'Warning';
  /** UpperCamelCase, like a Kubernetes Event reason (`ScaledUp`, `BudgetThresholdReached`). */
  reason: string;
  message: string;
  /** Cluster-clock epoch ms (the same clock as the cluster's Kubernetes Events). */
  at: number;
}

/** The insert of one control-plane event, to commit inside the write that caused it. */
export function clusterEventStatement(db: Db, e: ControlPlaneEvent): WriteStatement {
  return { query: db.insert(clusterEvents).values({ ...e, message: e.message.slice(0, 1024) }) };
}

/** Records one control-plane event on its own (when there is no write to join). */
export async function recordClusterEvent(database: Database, e: ControlPlaneEvent): Promise<void> {
  await database.atomicWrite([clusterEventStatement(database.db, e)]);
}

export type ClusterEventRow = typeof clusterEvents.$inferSelect;

/** A cluster's control-plane events at or after `sinceMs`, newest first. */
export async function listClusterEvents(db: Db, clusterId: string, sinceMs: number, limit: number): Promise<ClusterEventRow[]> {
  return db
    .select()
    .from(clusterEvents)
    .where(and(eq(clusterEvents.clusterId, clusterId), gte(clusterEvents.at, sinceMs)))
    .orderBy(desc(clusterEvents.at), desc(clusterEvents.id))
    .limit(limit)
    .all();
}
