import type { Controller } from '../controllers/runtime.ts';
import { Pass } from '../controllers/shared/pass.ts';
import { takeSnapshot } from './snapshot.ts';
import { snapshotLog } from './samples.ts';
import { listCached } from '../controllers/shared/object-cache.ts';

/** Cluster-clock resolution of the reports: the metrics-server resolution of the official manifests (15 s). */
export const SAMPLE_INTERVAL_MS = 15_000;
/**
 * Readers carry a sample forward until the next one (or the cluster's deletion, which ends every
 * series), however old: an unchanged cluster writes nothing, not even a heartbeat row.
 */
export const LOOKBACK_MS = Number.POSITIVE_INFINITY;
export const RETENTION_MS = 31 * 24 * 60 * 60_000;
/** Samples older than a day keep one per 5 minutes (the default step of reports longer than 10 h). */
export const FINE_HISTORY_MS = 24 * 60 * 60_000;
export const COARSE_BUCKET_MS = 5 * 60_000;
/** History ages (thinning, retention) with the first sample written in each such period. */
export const AGING_PERIOD_MS = 60 * 60_000;

/** What a snapshot is taken of: a write to any of them wakes the controller. */
const SNAPSHOT_OF = ['nodes', 'pods', 'deployments.apps', 'horizontalpodautoscalers.autoscaling'];

// Process-local: when each cluster was last looked at and its revision then, so a burst of writes
// costs one lookup per pass. Losing it (restart, another worker) only costs one extra snapshot.
const lastChecked = new Map<string, { at: number; revision: number }>();

/**
 * Records what the monitoring reports chart: when nodes, pods, Deployments or HPAs change it takes a
 * snapshot (at most one per SAMPLE_INTERVAL_MS of cluster time) and stores it only when it differs
 * from the last one. Usage in a snapshot follows the pods alone, so nothing changes between writes
 * and nothing is ever due on a timer except a change waiting for its interval.
 */
export const monitoringController: Controller = {
  name: 'monitoring',
  watches: SNAPSHOT_OF,
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'monitoring');
    const now = pass.nowMs;
    const { store } = ctx;
    const revision = await store.currentRevision(ctx.clusterId);
    const checked = lastChecked.get(ctx.clusterId);
    if (checked && checked.revision === revision) return pass.result(); // nothing written since the last look
    if (checked && now >= checked.at && now - checked.at < SAMPLE_INTERVAL_MS) {
      pass.wakeAt(checked.at + SAMPLE_INTERVAL_MS);
      return pass.result();
    }
    const samples = snapshotLog(store, ctx.clusterId);
    const last = await samples.latest();
    if (last && now >= last.at && now - last.at < SAMPLE_INTERVAL_MS) {
      lastChecked.set(ctx.clusterId, { at: last.at, revision: -1 });
      pass.wakeAt(last.at + SAMPLE_INTERVAL_MS);
      return pass.result();
    }
    // Through the process's informer: a churning cluster's pods are thousands, mostly unchanged since the last look.
    const [nodes, pods, deployments, hpas] = await Promise.all(SNAPSHOT_OF.map((r) => listCached(ctx, r)));
    const data = JSON.stringify(takeSnapshot({ nodes, pods, deployments, hpas }));
    lastChecked.set(ctx.clusterId, { at: now, revision });
    if (last && last.data === data) return pass.result();
    // The first write of each period ages the history since the previous write: a day old is thinned,
    // a month old goes (the row just written carries the state forward).
    const ages = !last || Math.floor(now / AGING_PERIOD_MS) !== Math.floor(last.at / AGING_PERIOD_MS);
    const from = Math.min(last?.at ?? now, now) - FINE_HISTORY_MS - AGING_PERIOD_MS;
    pass.spend(); // the snapshot (and its aging) in one atomic write
    await samples.append(
      now,
      data,
      ages ? { thinFrom: from, thinTo: now - FINE_HISTORY_MS, bucketMs: COARSE_BUCKET_MS, dropBefore: now - RETENTION_MS } : undefined,
    );
    return pass.result();
  },
};
