import { and, eq } from 'drizzle-orm';
import { WriteConflictError, type Database, type WriteStatement } from '../../store/db.ts';
import { clusters, nodePools } from '../../store/schema/index.ts';
import { ServiceError, invalidFields, type FieldIssue } from '../errors.ts';
import type { UpdateClusterInput } from './inputs.ts';
import { getTenant } from '../tenants/tenants.ts';
import { planOf } from '../../clusters/plans.ts';
import { checkQuota, poolBoundIssues } from './validate.ts';
import { assertNoOperationInFlight, newOperation, type OperationRow } from '../operations/operations.ts';
import { clusterSettings, getClusterInTenant, poolsOf, type ClusterRow } from './internal.ts';
import { settingsWith } from './settings.ts';

/**
 * Changes pool sizes/bounds and labels. Label-only changes apply at once; a pool count change is an
 * UPDATE_CLUSTER operation (nodes are added or removed by a worker).
 */
export async function updateCluster(
  database: Database,
  tenantId: string,
  clusterId: string,
  input: UpdateClusterInput,
  now: number,
): Promise<{ cluster: ClusterRow; operation?: OperationRow }> {
  const cluster = await getClusterInTenant(database, tenantId, clusterId);
  if (cluster.status !== 'RUNNING') {
    await assertNoOperationInFlight(database, clusterId);
    throw new ServiceError('conflict', `cluster ${clusterId} is ${cluster.status}; only a RUNNING cluster can be changed`);
  }
  await assertNoOperationInFlight(database, clusterId);
  const pools = await poolsOf(database, clusterId);
  const issues: FieldIssue[] = [];
  const stmts: WriteStatement[] = [];
  let countChanged = false;
  let extraNodes = 0;
  (input.nodePools ?? []).forEach((change, i) => {
    const pool = pools.find((p) => p.name === change.name);
    if (!pool) return issues.push({ field: `nodePools.${i}.name`, message: `no node pool named "${change.name}"` });
    const next = {
      count: change.count ?? pool.count,
      minCount: change.minCount ?? pool.minCount,
      maxCount: change.maxCount ?? pool.maxCount,
      autoscaling: change.autoscaling ?? pool.autoscaling,
    };
    issues.push(...poolBoundIssues(`nodePools.${i}`, next.count, next.minCount, next.maxCount));
    if (next.count !== pool.count) countChanged = true;
    extraNodes += next.count - pool.count;
    stmts.push({
      query: database.db
        .update(nodePools)
        .set(next)
        .where(and(eq(nodePools.clusterId, clusterId), eq(nodePools.name, pool.name))),
    });
  });
  if (issues.length) throw invalidFields(issues);
  if (extraNodes > 0) {
    const tenant = await getTenant(database, tenantId);
    await checkQuota(database, tenantId, planOf(tenant.plan), {
      newCluster: false,
      extraNodes: extraNodes + pools.reduce((s, p) => s + p.count, 0),
      excludeClusterId: clusterId,
    });
  }
  const settings = clusterSettings(cluster);
  if (input.labels) settings.labels = input.labels;
  const patch = { updatedAt: now, ...(countChanged ? { status: 'UPDATING' } : {}) };
  // Only the labels part of the settings is written, so a concurrent autoscaler or cloud-faults write stays.
  const write = input.labels ? { ...patch, settings: settingsWith('labels', input.labels) } : patch;
  // Guarded on the status read above: a concurrent change (another API process) makes this write fail.
  stmts.push({
    query: database.db
      .update(clusters)
      .set(write)
      .where(and(eq(clusters.id, clusterId), eq(clusters.status, 'RUNNING'))),
    expectChanges: 1,
  });
  const op = countChanged ? newOperation({ tenantId, clusterId, type: 'UPDATE_CLUSTER', input }, now) : undefined;
  if (op) stmts.push(op.insert(database.db));
  await writeOrConflict(database, clusterId, stmts);
  return { cluster: { ...cluster, ...patch, settings: JSON.stringify(settings) }, operation: op?.row };
}

/** Marks a cluster DELETING and records the operation that tears it down. */
export async function deleteCluster(
  database: Database,
  tenantId: string,
  clusterId: string,
  now: number,
): Promise<{ cluster: ClusterRow; operation: OperationRow }> {
  const cluster = await getClusterInTenant(database, tenantId, clusterId);
  if (cluster.status === 'DELETED') throw new ServiceError('not_found', `cluster ${clusterId} not found`);
  await assertNoOperationInFlight(database, clusterId);
  const op = newOperation({ tenantId, clusterId, type: 'DELETE_CLUSTER' }, now);
  await writeOrConflict(database, clusterId, [
    {
      query: database.db
        .update(clusters)
        .set({ status: 'DELETING', updatedAt: now })
        .where(and(eq(clusters.id, clusterId), eq(clusters.status, cluster.status))),
      expectChanges: 1,
    },
    op.insert(database.db),
  ]);
  return { cluster: { ...cluster, status: 'DELETING', updatedAt: now }, operation: op.row };
}

/**
 * The status check and the write are not one transaction (reads may await), so two API processes
 * can both pass the check; the guarded write lets only one through and the other gets the 409
 * naming the operation that won.
 */
export async function writeOrConflict(database: Database, clusterId: string, stmts: WriteStatement[]): Promise<void> {
  try {
    await database.atomicWrite(stmts);
  } catch (err) {
    if (!(err instanceof WriteConflictError)) throw err;
    await assertNoOperationInFlight(database, clusterId);
    throw new ServiceError('conflict', `cluster ${clusterId} changed while this request was processed; retry`);
  }
}
