import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import { loadTrafficDemand } from '../traffic/store.ts';
import { latestSampleTime } from './read.ts';
import { SAMPLE_INTERVAL_MS } from './retention.ts';
import { sampleCluster } from './sampler.ts';
import { sampleStatements } from './write.ts';

/** A gap longer than this (an idle worker, a clock jump) is reported as this long a window. */
const MAX_WINDOW_MS = 60_000;

/**
 * metrics-server for one cluster: every 15 s of cluster time, scrape every running pod and ready
 * node (declared usage plus traffic), store the samples and roll them up. Periodic only: usage
 * changes with time and traffic, not with object writes.
 */
export const metricsController: Controller = {
  name: 'metrics-server',
  watches: [],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const { database } = ctx.store;
    const now = ctx.now();
    const last = await latestSampleTime(database, ctx.clusterId);
    if (last !== undefined && now - last < SAMPLE_INTERVAL_MS) return { requeueAfterMs: Math.max(1, last + SAMPLE_INTERVAL_MS - now) };
    const [nodes, pods, services] = await Promise.all([
      ctx.store.list(ctx.clusterId, 'nodes').then((r) => r.items),
      ctx.store.list(ctx.clusterId, 'pods').then((r) => r.items),
      ctx.store.list(ctx.clusterId, 'services').then((r) => r.items),
    ]);
    const demand = await loadTrafficDemand(ctx.store, ctx.clusterId, now, { pods, services });
    const samples = sampleCluster(nodes, pods, demand.pods);
    const windowMs = last === undefined ? SAMPLE_INTERVAL_MS : Math.min(MAX_WINDOW_MS, now - last);
    await database.atomicWrite(sampleStatements(database, ctx.clusterId, now, windowMs, samples));
    return { requeueAfterMs: SAMPLE_INTERVAL_MS };
  },
};
