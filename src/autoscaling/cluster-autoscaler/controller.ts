import type { Controller, ReconcileContext, ReconcileResult } from '../../controllers/runtime.ts';
import { getCluster, poolsOf } from '../../services/clusters/internal.ts';
import { loadState, saveStateStatement } from '../state.ts';
import { runAutoscalerLoop } from './loop.ts';
import { autoscalerSettings } from './settings.ts';
import { emptyCaState, type CaState } from './state.ts';

export const CA_STATE_KEY = 'cluster';

/**
 * The cluster autoscaler of one cluster: a loop every `scanInterval` (10 s) of cluster time over
 * the node pools with autoscaling on. A cluster without such pools costs one query per tick.
 */
export const clusterAutoscalerController: Controller = {
  name: 'cluster-autoscaler',
  watches: [],
  periodic: true,
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const database = ctx.store.database;
    const cluster = await getCluster(database, ctx.clusterId);
    if (!cluster) return {};
    const pools = await poolsOf(database, cluster.id);
    const state = (await loadState<CaState>(database, cluster.id, 'cluster-autoscaler', CA_STATE_KEY)) ?? emptyCaState();
    if (!pools.some((p) => p.autoscaling) && state.provisioning.length === 0 && Object.keys(state.draining).length === 0) return {};
    const settings = autoscalerSettings(cluster.settings);
    const scanMs = settings.scanIntervalSeconds * 1000;
    const now = ctx.now();
    if (state.lastRunAt !== undefined && now >= state.lastRunAt && now - state.lastRunAt < scanMs) return { requeueAfterMs: state.lastRunAt + scanMs - now };
    state.report = await runAutoscalerLoop(ctx, cluster, pools, settings, state, now);
    state.lastRunAt = now;
    await database.atomicWrite([saveStateStatement(database, cluster.id, 'cluster-autoscaler', CA_STATE_KEY, state, now)]);
    return { requeueAfterMs: scanMs };
  },
};
