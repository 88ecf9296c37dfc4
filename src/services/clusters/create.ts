import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import { clusters, nodePools } from '../../store/schema/index.ts';
import { newId } from '../../lib/ids.ts';
import { ServiceError } from '../errors.ts';
import type { CreateClusterInput } from './inputs.ts';
import { getTenant } from '../tenants/tenants.ts';
import { planOf } from '../../clusters/plans.ts';
import { checkQuota, validateClusterSpec } from './validate.ts';
import { newOperation, type OperationRow } from '../operations/operations.ts';
import type { ClusterRow, NodePoolRow } from './internal.ts';
import { newPoolRow } from './pool-row.ts';

/** Records a PROVISIONING cluster, its pools and a CREATE_CLUSTER operation in one write; a worker does the rest. */
export async function createCluster(
  database: Database,
  tenantId: string,
  input: CreateClusterInput,
  now: number,
): Promise<{ cluster: ClusterRow; pools: NodePoolRow[]; operation: OperationRow }> {
  const { tier } = validateClusterSpec(input);
  const tenant = await getTenant(database, tenantId);
  if (tenant.deletedAt) throw new ServiceError('not_found', `tenant ${tenantId} has been deleted`);
  const plan = planOf(tenant.plan);
  await checkQuota(database, tenantId, plan, {
    newCluster: true,
    extraNodes: input.nodePools.reduce((s, p) => s + p.count, 0),
    timeScale: input.timeScale,
  });
  const dup = await database.db
    .select({ id: clusters.id })
    .from(clusters)
    .where(and(eq(clusters.tenantId, tenantId), eq(clusters.name, input.name), ne(clusters.status, 'DELETED')))
    .get();
  if (dup) throw new ServiceError('conflict', `a cluster named ${input.name} already exists (${dup.id})`, { clusterId: dup.id });

  const cluster: ClusterRow = {
    id: newId('cls'),
    tenantId,
    name: input.name,
    provider: input.provider,
    tier,
    region: input.region,
    kubernetesVersion: input.kubernetesVersion,
    status: 'PROVISIONING',
    settings: JSON.stringify({ labels: input.labels, ...(input.versionSupport ? { versionSupport: input.versionSupport } : {}) }),
    timeScale: input.timeScale,
    clockOriginMs: now,
    clockSkewMs: 0,
    resourceVersion: 0,
    compactedRevision: 0,
    tokenGeneration: 1,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  const pools = input.nodePools.map((p) => newPoolRow(cluster.id, p, input.kubernetesVersion, 'READY'));
  const op = newOperation({ tenantId, clusterId: cluster.id, type: 'CREATE_CLUSTER' }, now);
  await database.atomicWrite([
    { query: database.db.insert(clusters).values(cluster) },
    ...pools.map((p) => ({ query: database.db.insert(nodePools).values(p) })),
    op.insert(database.db),
  ]);
  return { cluster, pools, operation: op.row };
}
