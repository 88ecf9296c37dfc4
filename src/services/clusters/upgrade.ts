import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import type { ObjectStore } from '../../store/objects.ts';
import { clusters, nodePools, operations, usageIntervals } from '../../store/schema/index.ts';
import { ServiceError, invalidFields, type FieldIssue } from '../errors.ts';
import { replaceInterval, type IntervalAttributes } from '../../billing/intervals.ts';
import { assertNoOperationInFlight, newOperation, type OperationProgress, type OperationRow } from '../operations/operations.ts';
import { getClusterInTenant, poolsOf, type ClusterRow } from './internal.ts';
import { poolVersion } from '../../clusters/nodes.ts';
import { writeOrConflict } from './update.ts';
import { upgradeIssues } from './version-skew.ts';
import { isoTime } from '../../lib/clock.ts';

export interface UpgradeInput {
  kubernetesVersion: string;
  /** Pools to upgrade after the control plane; all of them when omitted, none when empty. */
  nodePools?: string[];
}

export interface UpgradePlan {
  from: string;
  to: string;
  pools: string[];
}

/**
 * Accepts an upgrade: the skew rules are checked, the cluster goes UPDATING and an UPGRADE_CLUSTER
 * operation is recorded with one step for the control plane and one per pool. A worker upgrades the
 * control plane (`startUpgrade`), then the node-pool controller replaces each pool's nodes.
 */
export async function upgradeCluster(
  database: Database,
  tenantId: string,
  clusterId: string,
  input: UpgradeInput,
  now: number,
): Promise<{ cluster: ClusterRow; operation: OperationRow }> {
  const cluster = await getClusterInTenant(database, tenantId, clusterId);
  await assertNoOperationInFlight(database, clusterId);
  if (cluster.status !== 'RUNNING') throw new ServiceError('conflict', `cluster ${clusterId} is ${cluster.status}; only a RUNNING cluster can be upgraded`);
  const pools = await poolsOf(database, clusterId);
  const chosen = input.nodePools ?? pools.map((p) => p.name);
  const issues: FieldIssue[] = [];
  chosen.forEach((name, i) => {
    if (!pools.some((p) => p.name === name)) issues.push({ field: `nodePools.${i}`, message: `no node pool named "${name}"` });
  });
  if (!issues.length)
    issues.push(
      ...upgradeIssues(
        cluster.kubernetesVersion,
        input.kubernetesVersion,
        pools.map((p) => ({ name: p.name, version: poolVersion(cluster, p), upgrading: chosen.includes(p.name) })),
      ),
    );
  if (issues.length) throw invalidFields(issues);
  const plan: UpgradePlan = { from: cluster.kubernetesVersion, to: input.kubernetesVersion, pools: chosen };
  const progress: OperationProgress = {
    steps: [
      { name: 'control-plane', status: plan.from === plan.to ? 'DONE' : 'PENDING', message: `${plan.from} → ${plan.to}` },
      ...chosen.map((name) => ({ name: `node-pool/${name}`, status: 'PENDING' as const, nodesTotal: pools.find((p) => p.name === name)!.count, nodesDone: 0 })),
    ],
  };
  const op = newOperation({ tenantId, clusterId, type: 'UPGRADE_CLUSTER', input: plan, progress }, now);
  await writeOrConflict(database, clusterId, [
    {
      query: database.db
        .update(clusters)
        .set({ status: 'UPDATING', updatedAt: now })
        .where(and(eq(clusters.id, clusterId), eq(clusters.status, 'RUNNING'))),
      expectChanges: 1,
    },
    op.insert(database.db),
  ]);
  return { cluster: { ...cluster, status: 'UPDATING', updatedAt: now }, operation: op.row };
}

/**
 * The worker's part of an upgrade, idempotent: the control plane moves to the new version (the
 * served `/version` follows), its billing interval is reopened with the version (extended support is
 * priced from it), and the chosen pools take the version and go RECONCILING for the node-pool
 * controller, all in one write.
 */
export async function startUpgrade(database: Database, store: ObjectStore, cluster: ClusterRow, op: OperationRow): Promise<void> {
  const plan = JSON.parse(op.input) as UpgradePlan;
  const progress = JSON.parse(op.progress) as OperationProgress;
  if (progress.handedOver) return;
  const at = await store.clusterNow(cluster.id);
  const open = await database.db
    .select()
    .from(usageIntervals)
    .where(and(eq(usageIntervals.clusterId, cluster.id), eq(usageIntervals.kind, 'cluster'), eq(usageIntervals.subject, cluster.id)))
    .all();
  const current = open.find((i) => i.endedAt === null);
  const stmts = [];
  if (cluster.kubernetesVersion !== plan.to) {
    stmts.push({ query: database.db.update(clusters).set({ kubernetesVersion: plan.to }).where(eq(clusters.id, cluster.id)) });
    if (current) {
      const attributes = { ...(JSON.parse(current.attributes) as Record<string, unknown>), kubernetesVersion: plan.to };
      stmts.push(
        ...replaceInterval(database.db, {
          tenantId: cluster.tenantId,
          clusterId: cluster.id,
          kind: 'cluster',
          subject: cluster.id,
          attributes: attributes as IntervalAttributes['cluster'],
          startedAt: at,
        }),
      );
    }
  }
  // Pools made before versions were recorded per pool follow the control plane; those left out of
  // the upgrade keep the version they run.
  stmts.push({
    query: database.db
      .update(nodePools)
      .set({ version: plan.from })
      .where(and(eq(nodePools.clusterId, cluster.id), isNull(nodePools.version))),
  });
  if (plan.pools.length) {
    stmts.push({
      query: database.db
        .update(nodePools)
        .set({ version: plan.to, status: 'RECONCILING' })
        .where(and(eq(nodePools.clusterId, cluster.id), inArray(nodePools.name, plan.pools))),
    });
  }
  const steps = (progress.steps ?? []).map((s) =>
    s.name === 'control-plane' && s.status !== 'DONE' ? { ...s, status: 'DONE' as const, finishedAt: isoTime(at) } : s,
  );
  stmts.push({
    query: database.db
      .update(operations)
      .set({ progress: JSON.stringify({ ...progress, steps, handedOver: true }) })
      .where(eq(operations.id, op.id)),
  });
  await database.atomicWrite(stmts);
}
