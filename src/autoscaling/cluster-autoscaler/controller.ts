import type { Controller, ReconcileContext, ReconcileResult } from '../../controllers/runtime.ts';
import { Pass } from '../../controllers/shared/pass.ts';
import type { Database } from '../../store/db.ts';
import { loadState, stateTable } from '../state.ts';
import { runAutoscalerLoop } from './loop.ts';
import { nodeGroupProvider } from './provider.ts';
import { autoscalerSettings } from './settings.ts';
import { emptyCaState, type AutoscalerReport, type CaState } from './state.ts';

export const CA_STATE_KEY = 'cluster';

/** The report of the cluster's last autoscaler loop, if it has run: what `/v1/.../autoscaler/status` shows. */
export async function lastAutoscalerReport(database: Database, clusterId: string): Promise<AutoscalerReport | undefined> {
  return (await loadState<CaState>(database, clusterId, 'cluster-autoscaler', CA_STATE_KEY))?.report;
}

/**
 * Whether the loop has more to do on its own, with no write to wake it: pods wait for capacity,
 * nodes are booting or draining, nodes are unneeded (their scale-down timer runs), or a group is
 * below its minimum size. Otherwise the next loop waits for a write to pods or nodes, or for a
 * change of the pools or settings.
 */
export function autoscalerBusy(state: CaState, report: AutoscalerReport): boolean {
  return (
    report.pendingPods.length > 0 ||
    state.provisioning.length > 0 ||
    Object.keys(state.draining).length > 0 ||
    Object.keys(state.unneededSince).length > 0 ||
    report.scaleDown.candidates > 0 ||
    report.nodeGroups.some((g) => g.targetSize < g.minSize || g.registered < g.targetSize)
  );
}

/**
 * The cluster autoscaler of one cluster: a loop at most every `scanInterval` (10 s) of cluster
 * time over the node pools with autoscaling on, while it has something to act on (see
 * `autoscalerBusy`); pods and nodes waking it when they change, as upstream's loop reacts to
 * unschedulable pods. A cluster without such pools costs one query per write to its pods/nodes.
 */
export const clusterAutoscalerController: Controller = {
  name: 'cluster-autoscaler',
  watches: ['pods', 'nodes'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const pass = new Pass(ctx, 'cluster-autoscaler');
    const provider = nodeGroupProvider(ctx.store, ctx.clusterId);
    const cluster = await provider.cluster();
    if (!cluster) return pass.result();
    const pools = await provider.pools();
    const table = stateTable<CaState>(ctx.store, cluster.id, 'cluster-autoscaler');
    const state = (await table.load()).get(CA_STATE_KEY) ?? emptyCaState();
    if (!pools.some((p) => p.autoscaling) && state.provisioning.length === 0 && Object.keys(state.draining).length === 0) return pass.result();
    const settings = autoscalerSettings(cluster.settings);
    const scanMs = settings.scanIntervalSeconds * 1000;
    const now = pass.nowMs;
    if (state.lastRunAt !== undefined && now >= state.lastRunAt && now - state.lastRunAt < scanMs) {
      pass.wakeAt(state.lastRunAt + scanMs);
      return pass.result();
    }
    state.report = await runAutoscalerLoop(pass, provider, cluster, pools, settings, state, now);
    state.lastRunAt = now;
    table.save(CA_STATE_KEY, state, now);
    await table.commit();
    if (autoscalerBusy(state, state.report)) pass.wakeAt(now + scanMs);
    return pass.result();
  },
};
