import { and, eq } from 'drizzle-orm';
import type { Database, WriteStatement } from '../../store/db.ts';
import type { ObjectStore } from '../../store/objects.ts';
import type { Logger } from '../../lib/logger.ts';
import { clusters, operations } from '../../store/schema/index.ts';
import { getCluster, poolsOf, type ClusterRow } from '../clusters/internal.ts';
import { provisionCluster } from '../clusters/provision.ts';
import { teardownCluster } from '../clusters/teardown.ts';
import { syncPoolNodes } from '../../clusters/pool-nodes.ts';
import { CONTROLLER_DRIVEN, getOperation, type OperationProgress, type OperationRow, type OperationType } from './operations.ts';
import { startUpgrade } from '../clusters/upgrade.ts';
import { getNodePool } from '../clusters/node-pools.ts';
import { nodePools } from '../../store/schema/index.ts';
import { isoTime } from '../../lib/clock.ts';

export interface OperationDeps {
  database: Database;
  store: ObjectStore;
  log: Logger;
  now(): number;
  /** The cluster has just become RUNNING (provisioned, resized): its controllers each need a pass. */
  clusterRunning?(clusterId: string): Promise<void>;
}

/**
 * Runs one management operation to completion. Safe to run again after a crash or a retry: each
 * step converges, and a finished operation is left alone.
 */
export async function runOperation(deps: OperationDeps, operationId: string): Promise<void> {
  const { database, store } = deps;
  const op = await getOperation(database, operationId);
  if (!op || op.status === 'SUCCEEDED' || op.status === 'FAILED') return;
  await database.atomicWrite([
    {
      query: database.db
        .update(operations)
        .set({ status: 'RUNNING', startedAt: op.startedAt ?? deps.now() })
        .where(eq(operations.id, op.id)),
    },
  ]);
  const cluster = await getCluster(database, op.clusterId);
  if (!cluster) throw new Error(`operation ${op.id}: cluster ${op.clusterId} is gone`);
  try {
    if (op.type === 'CREATE_CLUSTER') {
      // Only a PROVISIONING cluster is provisioned: a retry after the flip to RUNNING, or after a
      // later change or DELETE began, only finishes the operation.
      if (cluster.status === 'PROVISIONING') await provisionCluster(database, store, cluster);
    } else if (op.type === 'UPDATE_CLUSTER') {
      // The cluster turns RUNNING in the write that ends the operation, so a client that sees RUNNING
      // can change it again at once (UPDATING is live, so the controllers woken below run meanwhile).
      for (const pool of await poolsOf(database, cluster.id)) await syncPoolNodes(database, store, cluster, pool);
    } else if (op.type === 'DELETE_CLUSTER') {
      await teardownCluster(database, store, cluster, deps.now());
    } else if (op.type === 'CREATE_NODE_POOL') {
      await createPoolNodes(database, store, cluster, op, deps.now());
    } else if (CONTROLLER_DRIVEN.includes(op.type as OperationType)) {
      // The node-pool controller drains and replaces nodes over many passes and finishes the operation.
      if (op.type === 'UPGRADE_CLUSTER') await startUpgrade(database, store, cluster, op);
      else await handOver(database, op);
      await deps.clusterRunning?.(cluster.id);
      deps.log.info({ operationId: op.id, type: op.type, clusterId: cluster.id }, 'operation handed to the node-pool controller');
      return;
    }
    // Before the operation reads SUCCEEDED, so a retry after a failed wake-up wakes them again.
    if (op.type !== 'DELETE_CLUSTER') await deps.clusterRunning?.(cluster.id);
    await database.atomicWrite([
      { query: database.db.update(operations).set({ status: 'SUCCEEDED', finishedAt: deps.now() }).where(eq(operations.id, op.id)) },
      ...(op.type === 'UPDATE_CLUSTER'
        ? [{ query: database.db.update(clusters).set({ status: 'RUNNING', updatedAt: deps.now() }).where(eq(clusters.id, cluster.id)) }]
        : []),
    ]);
    deps.log.info({ operationId: op.id, type: op.type, clusterId: cluster.id }, 'operation succeeded');
  } catch (err) {
    deps.log.warn({ operationId: op.id, err: String(err) }, 'operation step failed; will retry');
    throw err;
  }
}

/** Marks an operation FAILED after its retries are exhausted (and the cluster FAILED if it was being created). */
export async function failOperation(deps: OperationDeps, operationId: string, error: string): Promise<void> {
  const op = await getOperation(deps.database, operationId);
  if (!op) return;
  const stmts: WriteStatement[] = [
    { query: deps.database.db.update(operations).set({ status: 'FAILED', error, finishedAt: deps.now() }).where(eq(operations.id, op.id)) },
  ];
  if (op.type === 'CREATE_CLUSTER')
    stmts.push({ query: deps.database.db.update(clusters).set({ status: 'FAILED', updatedAt: deps.now() }).where(eq(clusters.id, op.clusterId)) });
  // A pool change or upgrade that cannot start leaves the cluster usable: RUNNING, its pools READY.
  if (op.type === 'CREATE_NODE_POOL' || CONTROLLER_DRIVEN.includes(op.type as OperationType)) {
    stmts.push(
      {
        query: deps.database.db
          .update(clusters)
          .set({ status: 'RUNNING', updatedAt: deps.now() })
          .where(and(eq(clusters.id, op.clusterId), eq(clusters.status, 'UPDATING'))),
      },
      { query: deps.database.db.update(nodePools).set({ status: 'READY' }).where(eq(nodePools.clusterId, op.clusterId)) },
    );
  }
  await deps.database.atomicWrite(stmts);
}

async function handOver(database: Database, op: OperationRow): Promise<void> {
  const progress = JSON.parse(op.progress) as OperationProgress;
  if (progress.handedOver) return;
  await database.atomicWrite([
    {
      query: database.db
        .update(operations)
        .set({ progress: JSON.stringify({ ...progress, handedOver: true }) })
        .where(eq(operations.id, op.id)),
    },
  ]);
}

/** CREATE_NODE_POOL: the pool's nodes join, the pool is READY and the cluster RUNNING again. */
async function createPoolNodes(database: Database, store: ObjectStore, cluster: ClusterRow, op: OperationRow, now: number): Promise<void> {
  const { pool: name } = JSON.parse(op.input) as { pool: string };
  const pool = await getNodePool(database, cluster.id, name);
  await syncPoolNodes(database, store, cluster, pool);
  const at = isoTime(await store.clusterNow(cluster.id));
  const progress = JSON.parse(op.progress) as OperationProgress;
  const steps = (progress.steps ?? []).map((s) => ({ ...s, status: 'DONE' as const, nodesDone: pool.count, finishedAt: at }));
  await database.atomicWrite([
    {
      query: database.db
        .update(nodePools)
        .set({ status: 'READY' })
        .where(and(eq(nodePools.clusterId, cluster.id), eq(nodePools.name, name))),
    },
    { query: database.db.update(clusters).set({ status: 'RUNNING', updatedAt: now }).where(eq(clusters.id, cluster.id)) },
    {
      query: database.db
        .update(operations)
        .set({ progress: JSON.stringify({ ...progress, steps }) })
        .where(eq(operations.id, op.id)),
    },
  ]);
}
