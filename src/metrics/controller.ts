import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import { Pass } from '../controllers/shared/pass.ts';
import { listCached } from '../controllers/shared/object-cache.ts';
import { nextRpsChange } from '../traffic/profile.ts';
import { loadTrafficSpec } from '../traffic/store.ts';
import { computeTrafficDemand, type TrafficDemand } from '../traffic/demand.ts';
import type { TrafficSpec } from '../traffic/types.ts';
import { SAMPLE_INTERVAL_MS } from './retention.ts';
import { sampleCluster } from './sampler.ts';
import { recordScrape } from './write.ts';

/**
 * metrics-server for one cluster, as change points: usage follows the pods, the nodes and the
 * traffic model, so a pass runs when pods, nodes or Services are written (their writes wake it), when
 * the traffic model is replaced (the traffic route wakes it) and when a traffic profile next changes
 * the load (and once more an interval after a change); it stores a row only for usage that changed. The 15 s scrapes are rendered on read
 * (src/metrics/read.ts), so an unchanged cluster costs nothing.
 */
export const metricsController: Controller = {
  name: 'metrics-server',
  watches: ['pods', 'nodes', 'services'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const pass = new Pass(ctx, 'metrics-server');
    const now = pass.nowMs;
    // Through the process's informer: a pass runs on every pod write, and a churning cluster's pods are thousands.
    const [nodes, pods, services] = await Promise.all(['nodes', 'pods', 'services'].map((r) => listCached(ctx, r)));
    const spec = await loadTrafficSpec(ctx.store, ctx.clusterId);
    const demand: TrafficDemand = spec.services.length ? computeTrafficDemand(spec, services, pods, now) : { pods: new Map(), services: [] };
    const { changed, statements } = await recordScrape(ctx.store, ctx.clusterId, now, sampleCluster(nodes, pods, demand.pods));
    if (statements) pass.spend(); // the changed rows went in one atomic write
    // After a change, one more pass an interval later: readers without a clock of their own then see
    // the new usage with a full window behind it (the HPA's readiness rule asks for one).
    const next = Math.min(nextLoadChange(spec, demand, now) ?? Infinity, changed ? now + SAMPLE_INTERVAL_MS : Infinity);
    if (Number.isFinite(next)) pass.wakeAt(next);
    return pass.result();
  },
};

/** The next time a served Service's load changes (a Service without ready endpoints loads no pod). */
function nextLoadChange(spec: TrafficSpec, demand: TrafficDemand, now: number): number | undefined {
  let next: number | undefined;
  spec.services.forEach((t, i) => {
    if (!demand.services[i]?.endpoints) return;
    const at = nextRpsChange(t, now, SAMPLE_INTERVAL_MS);
    if (at !== undefined && (next === undefined || at < next)) next = at;
  });
  return next;
}
