/* eslint-disable @typescript-eslint/no-explicit-any */
import { and, eq, ne } from 'drizzle-orm';
import type { ReconcileContext } from '../../controllers/runtime.ts';
import type { KubeObject } from '../../kube/types.ts';
import type { Database } from '../../store/db.ts';
import { clusters, nodePools, tenants } from '../../store/schema/index.ts';
import { computePodInfo, type Snapshot } from '../../scheduler/index.ts';
import { planOf } from '../../services/tenants/plans.ts';
import type { ClusterRow } from '../../services/clusters/internal.ts';
import { setPoolTarget } from './actuate.ts';
import type { DecisionEvent } from './events-log.ts';
import type { NodeGroup } from './node-groups.ts';
import { NOT_CHOSEN, notTriggeredMessage, planScaleUp, triggeredMessage, type ScaleUpPlan } from './scale-up.ts';
import { expanderChain, provisioningDelayMs, type AutoscalerSettings } from './settings.ts';
import type { CaState } from './state.ts';

/** NotTriggerScaleUp is repeated at most this often per pod while its reason stays the same. */
const NOT_TRIGGERED_REPEAT_MS = 5 * 60_000;

/** Pods the scheduler gave up on (PodScheduled=False, Unschedulable), old enough to act on. */
export function unschedulablePods(pods: KubeObject[], now: number, delayMs: number): KubeObject[] {
  return pods.filter((p) => {
    if (p.spec?.nodeName || p.metadata.deletionTimestamp || p.status?.nominatedNodeName) return false;
    if ((p.spec?.schedulerName ?? 'default-scheduler') !== 'default-scheduler') return false;
    const c = (p.status?.conditions ?? []).find((x: any) => x.type === 'PodScheduled');
    if (!c || c.status !== 'False' || c.reason !== 'Unschedulable') return false;
    return now - (Date.parse(p.metadata.creationTimestamp ?? '') || 0) >= delayMs;
  });
}

/** Nodes the cluster may still add: max-nodes-total and the tenant plan's node quota. */
export async function clusterRoom(database: Database, cluster: ClusterRow, settings: AutoscalerSettings): Promise<number> {
  const own = (await database.db.select({ count: nodePools.count }).from(nodePools).where(eq(nodePools.clusterId, cluster.id)).all()).reduce((s, p) => s + p.count, 0);
  let room = settings.maxNodesTotal > 0 ? settings.maxNodesTotal - own : Infinity;
  const tenant = await database.db.select({ plan: tenants.plan }).from(tenants).where(eq(tenants.id, cluster.tenantId)).get();
  if (tenant) {
    const live = await database.db.select({ id: clusters.id }).from(clusters).where(and(eq(clusters.tenantId, cluster.tenantId), ne(clusters.status, 'DELETED'))).all();
    let used = 0;
    for (const c of live) used += (await database.db.select({ count: nodePools.count }).from(nodePools).where(eq(nodePools.clusterId, c.id)).all()).reduce((s, p) => s + p.count, 0);
    room = Math.min(room, planOf(tenant.plan).maxNodes - used);
  }
  return room;
}

export interface ScaleUpStepResult {
  plan: ScaleUpPlan;
  scaledUp: boolean;
}

/**
 * Scale-up half of a loop: plan, then (unless dry-run) raise the chosen pool's target and remember
 * the booting nodes, and tell the pods why they will or will not get a node.
 */
export async function scaleUpStep(
  ctx: ReconcileContext,
  cluster: ClusterRow,
  groups: NodeGroup[],
  pods: KubeObject[],
  snapshot: Snapshot,
  upcoming: Map<string, number>,
  settings: AutoscalerSettings,
  state: CaState,
  now: number,
  log: DecisionEvent[],
): Promise<ScaleUpStepResult> {
  const database = ctx.store.database;
  const pending = unschedulablePods(pods, now, settings.newPodScaleUpDelaySeconds * 1000).map((p) => computePodInfo(p));
  const plan = planScaleUp({
    snapshot,
    pending,
    groups,
    upcoming,
    clusterRoom: pending.length ? await clusterRoom(database, cluster, settings) : Infinity,
    expanders: expanderChain(settings.expander),
  });
  let scaledUp = false;
  const d = plan.decision;
  if (d) {
    const what = `setting group ${d.group.name} size to ${d.to} instead of ${d.from} (max: ${d.group.maxSize})`;
    if (settings.dryRun) {
      log.push({ type: 'Normal', reason: 'DryRunScaleUp', message: `dry run: would scale up: ${what} for ${d.pods.length} pod(s)` });
    } else if (await setPoolTarget(database, cluster.id, d.group.name, d.from, d.to)) {
      scaledUp = true;
      state.lastScaleUpAt = now;
      state.provisioning.push({ group: d.group.name, count: d.to - d.from, requestedAt: now, readyAt: now + provisioningDelayMs(settings, cluster.provider) });
      log.push({ type: 'Normal', reason: 'ScaledUpGroup', message: `Scale-up: ${what}` });
      const message = triggeredMessage(d);
      for (const p of d.pods) await ctx.events.record(p.pod, 'Normal', 'TriggeredScaleUp', message, 'cluster-autoscaler');
    }
  }
  const seen = new Set<string>();
  for (const v of plan.pods) {
    seen.add(v.pod.uid);
    // A pod another option could help waits for the next loop rather than hearing "no".
    if (v.outcome !== 'no-scale-up' || Object.keys(v.groups).length === 0 || Object.values(v.groups).includes(NOT_CHOSEN)) continue;
    const message = notTriggeredMessage(v);
    const last = state.notTriggered[v.pod.uid];
    if (last && last.message === message && now - last.at < NOT_TRIGGERED_REPEAT_MS) continue;
    state.notTriggered[v.pod.uid] = { message, at: now };
    await ctx.events.record(v.pod.pod, 'Normal', 'NotTriggerScaleUp', message, 'cluster-autoscaler');
  }
  for (const uid of Object.keys(state.notTriggered)) if (!seen.has(uid)) delete state.notTriggered[uid];
  return { plan, scaledUp };
}
