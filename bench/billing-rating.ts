/**
 * Hourly rating for 10,000 clusters, on a SQLite file in WAL mode (what a worker sees): each cluster
 * has a control plane, 3 nodes, a 20 GiB volume, a load balancer and 6 pods (priced on the GKE
 * Autopilot third, ignored elsewhere). Measures one catch-up pass over the hour that just ended
 * (read intervals, price, write records and cursors) and a re-run of the same hour (idempotent rewrite).
 *
 *   npx tsx bench/billing-rating.ts [--clusters 10000]
 */
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { count } from 'drizzle-orm';
import { openSqlite } from '../src/platform/sqlite.ts';
import { clusters, usageRecords } from '../src/store/schema/index.ts';
import { openInterval } from '../src/billing/intervals.ts';
import { rateDueHours, rateHours } from '../src/billing/rating/runner.ts';
import type { WriteStatement } from '../src/store/db.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CLUSTERS = arg('clusters', 10_000);
const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const GiB = 2 ** 30;
const shapes = [
  { provider: 'eks', tier: 'standard', region: 'us-east-1', type: 'm5.large', storageClass: 'gp3' },
  { provider: 'gke', tier: 'autopilot', region: 'us-central1', type: 'e2-standard-2', storageClass: 'standard-rwo' },
  { provider: 'aks', tier: 'free', region: 'eastus', type: 'Standard_D2s_v3', storageClass: 'managed-csi' },
] as const;

const dir = mkdtempSync(join(tmpdir(), 'kates-bench-billing-'));
const database = openSqlite(join(dir, 'bench.db'));

let t = performance.now();
for (let start = 0; start < CLUSTERS; start += 500) {
  const statements: WriteStatement[] = [];
  for (let i = start; i < Math.min(CLUSTERS, start + 500); i++) {
    const id = `cls_${String(i).padStart(6, '0')}`;
    const tenantId = `ten_${i % 1000}`;
    const s = shapes[i % shapes.length];
    statements.push({
      query: database.db.insert(clusters).values({
        id,
        tenantId,
        name: id,
        provider: s.provider,
        tier: s.tier,
        region: s.region,
        kubernetesVersion: '1.32',
        status: 'RUNNING',
        clockOriginMs: T0,
        createdAt: T0,
        updatedAt: T0,
      }),
    });
    const open = (kind: 'cluster' | 'node' | 'volume' | 'loadbalancer' | 'pod', subject: string, attributes: object) =>
      statements.push(openInterval(database.db, { tenantId, clusterId: id, kind, subject, attributes: attributes as never, startedAt: T0 + (i % 60) * 1000 }));
    open('cluster', id, { provider: s.provider, tier: s.tier, region: s.region });
    for (let n = 0; n < 3; n++) open('node', `node-${n}`, { instanceType: s.type, pool: 'default' });
    open('volume', 'pv-0', { sizeBytes: 20 * GiB, storageClass: s.storageClass, claimNamespace: 'default', claimName: 'data' });
    open('loadbalancer', 'default/web', { namespace: 'default', name: 'web' });
    for (let p = 0; p < 6; p++)
      open('pod', `default/web-${p}`, {
        namespace: 'default',
        name: `web-${p}`,
        node: `node-${p % 3}`,
        cpuMilli: 250,
        memoryBytes: GiB,
        workload: 'Deployment/web',
      });
  }
  await database.atomicWrite(statements);
}
const setupMs = performance.now() - t;

// The first hour [T0, T0 + 1 h) is due once the cluster clocks pass T0 + 1 h plus the settle time.
const now = T0 + HOUR + 2 * 60_000;
t = performance.now();
const first = await rateDueHours(database, now);
const firstMs = performance.now() - t;

t = performance.now();
await rateHours(database, T0, T0 + HOUR);
const rerunMs = performance.now() - t;

t = performance.now();
const idle = await rateDueHours(database, now);
const idleMs = performance.now() - t;

const records = (await database.db.select({ n: count() }).from(usageRecords).get())?.n ?? 0;
const cpu = cpus();
console.log(`machine: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores, node ${process.version}`);
console.log(`setup: ${CLUSTERS} clusters, ${CLUSTERS * 12} open intervals in ${setupMs.toFixed(0)} ms`);
console.log(
  `hourly rating, ${first.clusters} clusters, ${first.records} records: ${firstMs.toFixed(0)} ms (${((firstMs / first.clusters) * 1000).toFixed(0)} µs per cluster)`,
);
console.log(`re-rating the same hour (idempotent rewrite): ${rerunMs.toFixed(0)} ms; records stay ${records}`);
console.log(`a pass with nothing due: ${idleMs.toFixed(0)} ms (${idle.clusters} clusters rated)`);
await database.close();
rmSync(dir, { recursive: true, force: true });
