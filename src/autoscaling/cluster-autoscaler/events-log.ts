import { and, desc, eq, lt } from 'drizzle-orm';
import type { Database, WriteStatement } from '../../store/db.ts';
import { clusterEvents } from '../../store/schema/index.ts';
import { clusterEventStatement } from '../../monitoring/cluster-events.ts';

export interface DecisionEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** One autoscaler decision in the cluster's control-plane event log (source `autoscaler`). */
export function decisionStatement(database: Database, cluster: { id: string; tenantId: string }, e: DecisionEvent, atMs: number): WriteStatement {
  return clusterEventStatement(database.db, {
    clusterId: cluster.id,
    tenantId: cluster.tenantId,
    source: 'autoscaler',
    type: e.type,
    reason: e.reason,
    message: e.message,
    at: atMs,
  });
}

export interface DecisionRow {
  id: number;
  type: string;
  reason: string;
  message: string;
  at: number;
}

/** The autoscaler's decisions, newest first; `beforeId` pages further back. */
export async function listDecisions(database: Database, clusterId: string, limit: number, beforeId?: number): Promise<DecisionRow[]> {
  const conds = [eq(clusterEvents.clusterId, clusterId), eq(clusterEvents.source, 'autoscaler')];
  if (beforeId !== undefined) conds.push(lt(clusterEvents.id, beforeId));
  return database.db
    .select({ id: clusterEvents.id, type: clusterEvents.type, reason: clusterEvents.reason, message: clusterEvents.message, at: clusterEvents.at })
    .from(clusterEvents)
    .where(and(...conds))
    .orderBy(desc(clusterEvents.id))
    .limit(limit)
    .all();
}
