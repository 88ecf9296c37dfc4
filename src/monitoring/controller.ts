import type { Controller } from '../controllers/runtime.ts';
import type { WriteStatement } from '../store/db.ts';
import { takeSnapshot } from './snapshot.ts';
import { deleteSamplesBefore, downsampleStatement, insertSample, latestSample } from './samples.ts';

/** Cluster-clock resolution of the reports: the metrics-server resolution of the official manifests (15 s). */
export const SAMPLE_INTERVAL_MS = 15_000;
/** An unchanged cluster still writes one sample an hour, so readers can tell "idle" from "not watched". */
export const HEARTBEAT_MS = 60 * 60_000;
/** A sample older than this is not carried forward (monitoring stopped, e.g. the cluster was deleted). */
export const LOOKBACK_MS = 2 * HEARTBEAT_MS;
export const RETENTION_MS = 31 * 24 * 60 * 60_000;
/** Samples older than a day keep one per 5 minutes (the default step of reports longer than 10 h). */
export const FINE_HISTORY_MS = 24 * 60 * 60_000;
export const COARSE_BUCKET_MS = 5 * 60_000;

// Process-local: when each cluster was last looked at, so most ticks of an idle cluster cost one map
// lookup. Losing it (restart, another worker) only costs one extra snapshot.
const lastChecked = new Map<string, number>();

/**
 * Records what the monitoring reports chart: every SAMPLE_INTERVAL_MS of cluster time it takes a
 * snapshot of nodes, pods, Deployments and HPAs and stores it only when it differs from the last one.
 */
export const monitoringController: Controller = {
  name: 'monitoring',
  watches: [],
  async reconcile(ctx) {
    const now = ctx.now();
    const checked = lastChecked.get(ctx.clusterId);
    if (checked !== undefined && now >= checked && now - checked < SAMPLE_INTERVAL_MS) return;
    const { store } = ctx;
    const db = store.database.db;
    const last = await latestSample(db, ctx.clusterId);
    if (last && now >= last.at && now - last.at < SAMPLE_INTERVAL_MS) {
      lastChecked.set(ctx.clusterId, last.at);
      return;
    }
    const [nodes, pods, deployments, hpas] = await Promise.all(
      ['nodes', 'pods', 'deployments.apps', 'horizontalpodautoscalers.autoscaling'].map(async (r) => (await store.list(ctx.clusterId, r)).items),
    );
    const data = JSON.stringify(takeSnapshot({ nodes, pods, deployments, hpas }));
    lastChecked.set(ctx.clusterId, now);
    if (last && last.data === data && now - last.at < HEARTBEAT_MS) return;
    const writes: WriteStatement[] = [insertSample(db, ctx.clusterId, now, data)];
    // Once an hour (the first write of each hour) history ages: a day old is thinned, a month old goes.
    if (!last || Math.floor(now / HEARTBEAT_MS) !== Math.floor(last.at / HEARTBEAT_MS)) {
      writes.push(downsampleStatement(db, ctx.clusterId, now - FINE_HISTORY_MS - 3 * HEARTBEAT_MS, now - FINE_HISTORY_MS, COARSE_BUCKET_MS));
      writes.push(deleteSamplesBefore(db, ctx.clusterId, now - RETENTION_MS));
    }
    await store.database.atomicWrite(writes);
  },
};
