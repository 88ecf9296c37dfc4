import { and, eq, inArray } from 'drizzle-orm';
import type { Controller } from '../runtime.ts';
import { Pass } from '../shared/pass.ts';
import type { KubeObject } from '../../kube/types.ts';
import type { Database, WriteStatement } from '../../store/db.ts';
import { clusters, nodePools, operations } from '../../store/schema/index.ts';
import { isoTime } from '../../lib/clock.ts';
import type { ClusterRow, NodePoolRow } from '../../store/rows.ts';
import { getCluster, poolsOf } from '../../clusters/lookups.ts';
import { CONTROLLER_DRIVEN, type OperationProgress, type OperationRow, type OperationStep } from '../../clusters/operations.ts';
import { drainPoolAway, rollPool, type PoolStep } from './rollout.ts';

/** How often (cluster time) a rollout looks again while nodes boot and pods are evicted and replaced. */
export const ROLLOUT_POLL_MS = 5_000;

/**
 * Carries upgrades and node-pool changes to their end, one pool at a time (as GKE and AKS upgrade
 * pools in turn): each pass moves the first pool that is RECONCILING (replace or resize its nodes)
 * or DELETING (drain them all away) a bounded step, records the operation's per-pool progress, and
 * asks for its next pass in ROLLOUT_POLL_MS. Once no pool is left busy the operation SUCCEEDS and the
 * cluster is RUNNING. It watches nothing: the operation's worker wakes it and its own timer keeps it
 * going, so a cluster with nothing in flight costs one query per wake-up of every controller.
 */
export const nodePoolController: Controller = {
  name: 'node-pools',
  watches: [],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'node-pool-controller');
    const { database } = ctx.store;
    const op = await handedOverOperation(database, ctx.clusterId);
    if (!op) return pass.result();
    const cluster = await getCluster(database, ctx.clusterId);
    if (!cluster || cluster.status !== 'UPDATING') return pass.result();
    const progress = JSON.parse(op.progress) as OperationProgress;
    const pools = await poolsOf(database, cluster.id);
    const busy = inPlanOrder(
      op,
      pools.filter((p) => p.status === 'RECONCILING' || p.status === 'DELETING'),
    );
    if (busy.length === 0) {
      await finish(database, op, progress, cluster, pass.nowMs);
      ctx.trigger('cluster-autoscaler');
      return pass.result();
    }
    const pool = busy[0];
    const [nodes, pods] = await Promise.all([ctx.store.list(cluster.id, 'nodes'), ctx.store.list(cluster.id, 'pods')]);
    const podsByNode = new Map<string, KubeObject[]>();
    for (const p of pods.items) {
      const node = p.spec?.nodeName as string | undefined;
      if (node) podsByNode.set(node, [...(podsByNode.get(node) ?? []), p]);
    }
    const world = { cluster, nodes: nodes.items, podsByNode };
    const step = pool.status === 'DELETING' ? await drainPoolAway(pass, world, pool) : await rollPool(pass, world, pool);
    const steps = withStep(progress.steps ?? [], `node-pool/${pool.name}`, step, isoTime(pass.nowMs));
    const stmts: WriteStatement[] = [
      {
        query: database.db
          .update(operations)
          .set({ progress: JSON.stringify({ ...progress, steps }) })
          .where(eq(operations.id, op.id)),
      },
    ];
    if (step.failed) {
      stmts.push(
        { query: database.db.update(operations).set({ status: 'FAILED', error: step.failed, finishedAt: Date.now() }).where(eq(operations.id, op.id)) },
        { query: database.db.update(nodePools).set({ status: 'READY' }).where(poolKey(pool)) },
        {
          query: database.db
            .update(clusters)
            .set({ status: 'RUNNING', updatedAt: Date.now() })
            .where(and(eq(clusters.id, cluster.id), eq(clusters.status, 'UPDATING'))),
        },
      );
      await database.atomicWrite(stmts);
      ctx.log.warn({ clusterId: cluster.id, operationId: op.id, err: step.failed }, 'node pool operation failed');
      return pass.result();
    }
    if (step.done) {
      stmts.push(
        pool.status === 'DELETING'
          ? { query: database.db.delete(nodePools).where(poolKey(pool)) }
          : { query: database.db.update(nodePools).set({ status: 'READY' }).where(poolKey(pool)) },
      );
      pass.wakeAt(pass.nowMs);
    } else pass.wakeAt(pass.nowMs + ROLLOUT_POLL_MS);
    await database.atomicWrite(stmts);
    return pass.result();
  },
};

const poolKey = (pool: NodePoolRow) => and(eq(nodePools.clusterId, pool.clusterId), eq(nodePools.name, pool.name));

async function handedOverOperation(database: Database, clusterId: string): Promise<OperationRow | undefined> {
  const rows = await database.db
    .select()
    .from(operations)
    .where(and(eq(operations.clusterId, clusterId), eq(operations.status, 'RUNNING'), inArray(operations.type, [...CONTROLLER_DRIVEN])))
    .all();
  return rows.find((r) => (JSON.parse(r.progress) as OperationProgress).handedOver);
}

/** Pools in the order the upgrade names them (else by name). */
function inPlanOrder(op: OperationRow, pools: NodePoolRow[]): NodePoolRow[] {
  const order = (JSON.parse(op.input) as { pools?: string[] }).pools ?? [];
  const rank = (p: NodePoolRow) => (order.includes(p.name) ? order.indexOf(p.name) : order.length);
  return [...pools].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

function withStep(steps: OperationStep[], name: string, s: PoolStep, at: string): OperationStep[] {
  const next: OperationStep = {
    name,
    status: s.failed ? 'FAILED' : s.done ? 'DONE' : 'RUNNING',
    nodesTotal: s.nodesTotal,
    nodesDone: s.nodesDone,
    surgeNodes: s.surgeNodes,
    ...(s.failed ? { message: s.failed } : {}),
  };
  const found = steps.find((x) => x.name === name);
  const merged = { ...found, ...next, startedAt: found?.startedAt ?? at, ...(s.done || s.failed ? { finishedAt: at } : {}) };
  return found ? steps.map((x) => (x.name === name ? merged : x)) : [...steps, merged];
}

async function finish(database: Database, op: OperationRow, progress: OperationProgress, cluster: ClusterRow, nowMs: number): Promise<void> {
  const at = isoTime(nowMs);
  const steps = (progress.steps ?? []).map((s) => (s.status === 'DONE' ? s : { ...s, status: 'DONE' as const, finishedAt: at }));
  await database.atomicWrite([
    {
      query: database.db
        .update(operations)
        .set({ status: 'SUCCEEDED', finishedAt: Date.now(), progress: JSON.stringify({ ...progress, steps }) })
        .where(and(eq(operations.id, op.id), eq(operations.status, 'RUNNING'))),
    },
    {
      query: database.db
        .update(clusters)
        .set({ status: 'RUNNING', updatedAt: Date.now() })
        .where(and(eq(clusters.id, cluster.id), eq(clusters.status, 'UPDATING'))),
    },
  ]);
}
