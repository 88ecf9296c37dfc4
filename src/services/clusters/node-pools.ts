import { and, eq } from 'drizzle-orm';
import type { Database, WriteStatement } from '../../store/db.ts';
import { clusters, nodePools } from '../../store/schema/index.ts';
import { ServiceError, invalidFields, type FieldIssue } from '../errors.ts';
import type { Provider } from '../../billing/catalog.ts';
import type { CreateNodePoolInput, UpdateNodePoolInput } from './inputs.ts';
import { getTenant } from '../tenants/tenants.ts';
import { planOf } from '../../clusters/plans.ts';
import { checkQuota, poolSpecIssues } from './validate.ts';
import { assertNoOperationInFlight, newOperation, type OperationRow } from '../operations/operations.ts';
import { getClusterInTenant, poolsOf, type ClusterRow, type NodePoolRow } from './internal.ts';
import { writeOrConflict } from './update.ts';
import { newPoolRow } from './pool-row.ts';

export async function getNodePool(database: Database, clusterId: string, name: string): Promise<NodePoolRow> {
  const row = await database.db
    .select()
    .from(nodePools)
    .where(and(eq(nodePools.clusterId, clusterId), eq(nodePools.name, name)))
    .get();
  if (!row) throw new ServiceError('not_found', `node pool ${name} not found in cluster ${clusterId}`);
  return row;
}

/** A cluster that may take a change now: RUNNING, with no operation in flight. */
async function changeableCluster(database: Database, tenantId: string, clusterId: string): Promise<ClusterRow> {
  const cluster = await getClusterInTenant(database, tenantId, clusterId);
  await assertNoOperationInFlight(database, clusterId);
  if (cluster.status !== 'RUNNING') throw new ServiceError('conflict', `cluster ${clusterId} is ${cluster.status}; only a RUNNING cluster can be changed`);
  return cluster;
}

/** The status flip that admits one operation at a time (guarded on the status read before). */
function markUpdating(database: Database, clusterId: string, now: number): WriteStatement {
  return {
    query: database.db
      .update(clusters)
      .set({ status: 'UPDATING', updatedAt: now })
      .where(and(eq(clusters.id, clusterId), eq(clusters.status, 'RUNNING'))),
    expectChanges: 1,
  };
}

function invalid(issues: FieldIssue[]): void {
  if (issues.length) throw invalidFields(issues);
}

async function checkNodeQuota(database: Database, tenantId: string, clusterId: string, pools: NodePoolRow[], extra: number): Promise<void> {
  if (extra <= 0) return;
  const tenant = await getTenant(database, tenantId);
  await checkQuota(database, tenantId, planOf(tenant.plan), {
    newCluster: false,
    extraNodes: extra + pools.reduce((s, p) => s + p.count, 0),
    excludeClusterId: clusterId,
  });
}

/** Adds a pool at the control plane's version; a worker creates its nodes (CREATE_NODE_POOL). */
export async function createNodePool(
  database: Database,
  tenantId: string,
  clusterId: string,
  input: CreateNodePoolInput,
  now: number,
): Promise<{ cluster: ClusterRow; pool: NodePoolRow; operation: OperationRow }> {
  const cluster = await changeableCluster(database, tenantId, clusterId);
  const pools = await poolsOf(database, clusterId);
  const issues: FieldIssue[] = [];
  if (pools.some((p) => p.name === input.name)) throw new ServiceError('conflict', `node pool ${input.name} already exists in cluster ${clusterId}`);
  if (pools.length >= 10) issues.push({ field: 'name', message: 'a cluster has at most 10 node pools' });
  issues.push(...poolSpecIssues(cluster.provider as Provider, cluster.region, '', input).map((i) => ({ ...i, field: i.field.replace(/^\./, '') })));
  invalid(issues);
  await checkNodeQuota(database, tenantId, clusterId, pools, input.count);
  const pool = newPoolRow(clusterId, input, cluster.kubernetesVersion, 'PROVISIONING');
  const op = newOperation(
    {
      tenantId,
      clusterId,
      type: 'CREATE_NODE_POOL',
      input: { pool: pool.name },
      progress: { steps: [{ name: `node-pool/${pool.name}`, status: 'PENDING', nodesTotal: pool.count, nodesDone: 0 }] },
    },
    now,
  );
  await writeOrConflict(database, clusterId, [
    markUpdating(database, clusterId, now),
    { query: database.db.insert(nodePools).values(pool) },
    op.insert(database.db),
  ]);
  return { cluster: { ...cluster, status: 'UPDATING', updatedAt: now }, pool, operation: op.row };
}

/** Whether the pool's nodes must be replaced (rather than edited in place) for the change. */
export function needsReplacement(pool: NodePoolRow, next: Pick<NodePoolRow, 'instanceType' | 'capacityType'>): boolean {
  return pool.instanceType !== next.instanceType || pool.capacityType !== next.capacityType;
}

/**
 * Changes a pool. Every change is an UPDATE_NODE_POOL operation the node-pool controller carries out:
 * labels and taints are edited on the nodes in place, a size change adds nodes or drains the extra
 * ones, and a new instance or capacity type replaces every node with the pool's surge settings.
 */
export async function updateNodePool(
  database: Database,
  tenantId: string,
  clusterId: string,
  name: string,
  input: UpdateNodePoolInput,
  now: number,
): Promise<{ cluster: ClusterRow; pool: NodePoolRow; operation: OperationRow }> {
  const cluster = await changeableCluster(database, tenantId, clusterId);
  const pools = await poolsOf(database, clusterId);
  const pool = pools.find((p) => p.name === name);
  if (!pool) throw new ServiceError('not_found', `node pool ${name} not found in cluster ${clusterId}`);
  const next: NodePoolRow = {
    ...pool,
    instanceType: input.instanceType ?? pool.instanceType,
    count: input.count ?? pool.count,
    minCount: input.minCount ?? pool.minCount,
    maxCount: input.maxCount ?? pool.maxCount,
    autoscaling: input.autoscaling ?? pool.autoscaling,
    labels: input.labels ? JSON.stringify(input.labels) : pool.labels,
    taints: input.taints ? JSON.stringify(input.taints) : pool.taints,
    zones: input.zones ? JSON.stringify(input.zones) : pool.zones,
    capacityType: input.capacityType ?? pool.capacityType,
    maxSurge: input.upgradeSettings?.maxSurge ?? pool.maxSurge,
    maxUnavailable: input.upgradeSettings?.maxUnavailable ?? pool.maxUnavailable,
    status: 'RECONCILING',
  };
  const settings = { maxSurge: next.maxSurge ?? undefined, maxUnavailable: next.maxUnavailable ?? undefined };
  const spec = { ...next, zones: JSON.parse(next.zones) as string[], upgradeSettings: input.upgradeSettings ? settings : undefined };
  invalid(poolSpecIssues(cluster.provider as Provider, cluster.region, '', spec).map((i) => ({ ...i, field: i.field.replace(/^\./, '') })));
  await checkNodeQuota(database, tenantId, clusterId, pools, next.count - pool.count);
  const replace = needsReplacement(pool, next);
  const op = newOperation(
    {
      tenantId,
      clusterId,
      type: 'UPDATE_NODE_POOL',
      input: { pool: name, change: input, replace },
      progress: { steps: [{ name: `node-pool/${name}`, status: 'PENDING', nodesTotal: next.count, nodesDone: 0 }] },
    },
    now,
  );
  const { clusterId: _c, name: _n, ...values } = next;
  await writeOrConflict(database, clusterId, [
    markUpdating(database, clusterId, now),
    {
      query: database.db
        .update(nodePools)
        .set(values)
        .where(and(eq(nodePools.clusterId, clusterId), eq(nodePools.name, name))),
    },
    op.insert(database.db),
  ]);
  return { cluster: { ...cluster, status: 'UPDATING', updatedAt: now }, pool: next, operation: op.row };
}

/** Marks a pool DELETING; the node-pool controller cordons and drains its nodes, then removes them and the pool. */
export async function deleteNodePool(
  database: Database,
  tenantId: string,
  clusterId: string,
  name: string,
  now: number,
): Promise<{ cluster: ClusterRow; pool: NodePoolRow; operation: OperationRow }> {
  const cluster = await changeableCluster(database, tenantId, clusterId);
  const pool = await getNodePool(database, clusterId, name);
  const op = newOperation(
    {
      tenantId,
      clusterId,
      type: 'DELETE_NODE_POOL',
      input: { pool: name },
      progress: { steps: [{ name: `node-pool/${name}`, status: 'PENDING', nodesTotal: pool.count, nodesDone: 0 }] },
    },
    now,
  );
  await writeOrConflict(database, clusterId, [
    markUpdating(database, clusterId, now),
    {
      query: database.db
        .update(nodePools)
        .set({ status: 'DELETING' })
        .where(and(eq(nodePools.clusterId, clusterId), eq(nodePools.name, name))),
    },
    op.insert(database.db),
  ]);
  return { cluster: { ...cluster, status: 'UPDATING', updatedAt: now }, pool: { ...pool, status: 'DELETING' }, operation: op.row };
}
