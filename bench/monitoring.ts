/**
 * Monitoring costs for one large cluster: 100 nodes, 3,000 running pods in 300 Deployments with 50
 * HPAs, on a SQLite file in WAL mode. Measures one sampling pass (list + snapshot + write), the
 * pass of an unchanged cluster, a 24 h report at 5 min steps over a sample every 15 s, and one
 * Prometheus scrape (kube-state-metrics families rendered by prom-client).
 *
 *   npx tsx bench/monitoring.ts [--nodes 100] [--pods 3000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqlite } from '../src/platform/sqlite.ts';
import { ObjectStore, type WriteOp } from '../src/store/objects.ts';
import { addClusterRow, ManualClock } from '../test/helpers/store.ts';
import { monitoringController, SAMPLE_INTERVAL_MS, LOOKBACK_MS, COARSE_BUCKET_MS } from '../src/monitoring/controller.ts';
import { takeSnapshot } from '../src/monitoring/snapshot.ts';
import { downsampleStatement, insertSample, samplesForWindow } from '../src/monitoring/samples.ts';
import { monitoringSamples } from '../src/store/schema/index.ts';
import { count, eq } from 'drizzle-orm';
import { buildReport } from '../src/monitoring/report.ts';
import { clusterMetricFamilies } from '../src/monitoring/prometheus/cluster-metrics.ts';
import { renderFamilies } from '../src/platform/prometheus.ts';
import { storeEventRecorder } from '../src/kube/events.ts';
import type { KubeObject } from '../src/kube/types.ts';
import type { Logger } from '../src/lib/logger.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const NODES = arg('nodes', 100);
const PODS = arg('pods', 3000);
const DEPLOYMENTS = Math.max(1, Math.floor(PODS / 10));
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const ms = (t: number) => `${(performance.now() - t).toFixed(1)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'kates-bench-monitoring-'));
const database = openSqlite(join(dir, 'bench.db'));
const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
const store = new ObjectStore(database, clock);
const clusterId = 'cls_bench';
await addClusterRow(database, clusterId, clock.now());

const ready = [{ type: 'Ready', status: 'True' }];
const ops: WriteOp[] = [];
for (let n = 0; n < NODES; n++) {
  ops.push({
    op: 'create',
    resource: 'nodes',
    object: {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${n}`, labels: { 'kates.dev/node-pool': `pool-${n % 3}`, 'node.kubernetes.io/instance-type': 'm5.4xlarge' } },
      status: { capacity: { cpu: '16', memory: '64Gi', pods: '110' }, allocatable: { cpu: '15890m', memory: '60Gi', pods: '110' }, conditions: ready },
    },
  });
}
for (let d = 0; d < DEPLOYMENTS; d++) {
  ops.push({
    op: 'create',
    resource: 'deployments.apps',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${d}`, namespace: `ns-${d % 20}` },
      spec: { replicas: 10 },
      status: { replicas: 10, readyReplicas: 10, availableReplicas: 10, updatedReplicas: 10 },
    },
  });
  if (d < 50)
    ops.push({
      op: 'create',
      resource: 'horizontalpodautoscalers.autoscaling',
      object: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: `app-${d}`, namespace: `ns-${d % 20}` },
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: `app-${d}` },
          minReplicas: 2,
          maxReplicas: 20,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
        },
        status: {
          currentReplicas: 10,
          desiredReplicas: 10,
          currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 55 } } }],
        },
      },
    });
}
for (let p = 0; p < PODS; p++) {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `app-${p % DEPLOYMENTS}-${p}`,
      namespace: `ns-${(p % DEPLOYMENTS) % 20}`,
      annotations: { 'kates.dev/cpu-usage': '120m', 'kates.dev/memory-usage': '200Mi' },
    },
    spec: {
      nodeName: `node-${p % NODES}`,
      containers: [{ name: 'app', image: 'shop/app:1', resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } } }],
    },
    status: {
      phase: 'Running',
      startTime: '2026-01-01T00:00:00Z',
      conditions: ready,
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }],
    },
  };
  ops.push({ op: 'create', resource: 'pods', object: pod });
}
for (let i = 0; i < ops.length; i += 500) await store.commit(clusterId, ops.slice(i, i + 500));
console.log(`cluster: ${NODES} nodes, ${PODS} pods, ${DEPLOYMENTS} deployments, 50 HPAs`);

const now = () => clock.now();
const ctx = { clusterId, store, now, log: silent, events: storeEventRecorder(store, clusterId, now), trigger() {} };
let t = performance.now();
await monitoringController.reconcile(ctx);
console.log(`sampling pass (list, snapshot, write): ${ms(t)}`);
clock.advance(SAMPLE_INTERVAL_MS);
t = performance.now();
await monitoringController.reconcile(ctx);
console.log(`sampling pass of an unchanged cluster (no write): ${ms(t)}`);
t = performance.now();
await monitoringController.reconcile(ctx);
console.log(`tick within the interval (skipped): ${ms(t)}`);

// A day of samples that all differ (the worst case for storage): one every 15 s.
const lists = await Promise.all(
  ['nodes', 'pods', 'deployments.apps', 'horizontalpodautoscalers.autoscaling'].map(async (r) => (await store.list(clusterId, r)).items),
);
const base = takeSnapshot({ nodes: lists[0], pods: lists[1], deployments: lists[2], hpas: lists[3] });
const start = clock.now();
const DAY = 24 * 3_600_000;
let bytes = 0;
t = performance.now();
for (let at = start; at < start + DAY; at += SAMPLE_INTERVAL_MS * 200) {
  const batch = [];
  for (let k = 0; k < 200; k++) {
    const when = at + k * SAMPLE_INTERVAL_MS;
    if (when >= start + DAY) break;
    base.hpas[0].desiredReplicas = 2 + (Math.floor(when / 600_000) % 10);
    base.deployments[0].ready = base.hpas[0].desiredReplicas;
    const data = JSON.stringify(base);
    bytes += data.length;
    batch.push(insertSample(database.db, clusterId, when, data));
  }
  await database.atomicWrite(batch);
}
console.log(`stored a day of changing samples (5,760 rows, ${(bytes / 2 ** 20).toFixed(1)} MiB JSON, ${(bytes / 5760 / 1024).toFixed(1)} KiB each): ${ms(t)}`);

t = performance.now();
const samples = await samplesForWindow(database.db, clusterId, start, start + DAY, 300_000);
const readMs = ms(t);
t = performance.now();
const report = buildReport(samples, { fromMs: start, toMs: start + DAY, stepMs: 300_000, endMs: start + DAY, lookbackMs: LOOKBACK_MS });
console.log(
  `24 h report at 5 min steps: read ${samples.length} samples ${readMs}, build ${ms(t)}; ${report.timestamps.length} points, ${report.deployments.length} deployment series, JSON ${(JSON.stringify(report).length / 2 ** 20).toFixed(1)} MiB`,
);

t = performance.now();
await database.atomicWrite([downsampleStatement(database.db, clusterId, start, start + DAY, COARSE_BUCKET_MS)]);
const kept = (await database.db.select({ n: count() }).from(monitoringSamples).where(eq(monitoringSamples.clusterId, clusterId)).get())!.n;
console.log(`thinning that day to one sample per 5 min: ${ms(t)}, ${kept} rows left`);

t = performance.now();
const families = await clusterMetricFamilies(store, clusterId, clock.now());
const collectMs = ms(t);
t = performance.now();
const out = await renderFamilies(families);
console.log(
  `Prometheus scrape: collect ${collectMs}, render ${ms(t)}; ${out.body.split('\n').filter((l) => l && !l.startsWith('#')).length} samples, ${(out.body.length / 2 ** 20).toFixed(1)} MiB`,
);

await database.close();
rmSync(dir, { recursive: true, force: true });
