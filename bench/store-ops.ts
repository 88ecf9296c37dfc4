/**
 * The object store's own cost per operation on SQLite (a file in WAL mode, as the service runs it):
 * get, commit of an update, commit of a create, and a 1,000-object list, in CPU-bound loops.
 *
 *   npx tsx bench/store-ops.ts [--objects 2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqlite } from '../src/platform/sqlite.ts';
import { ObjectStore } from '../src/store/objects.ts';
import { registerMeteringHook } from '../src/billing/metering-hook.ts';
import { systemClock } from '../src/lib/clock.ts';
import { addClusterRow } from '../test/helpers/store.ts';
import type { KubeObject } from '../src/kube/types.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('objects', 2000);
const dir = mkdtempSync(join(tmpdir(), 'kates-store-bench-'));
const database = openSqlite(join(dir, 'bench.db'));
const store = new ObjectStore(database, systemClock);
registerMeteringHook(store);
const clusterId = 'cls_bench';
await addClusterRow(database, clusterId, Date.now());

const pod = (i: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web', 'pod-template-hash': 'abc123' } },
  spec: { nodeName: `node-${i % 50}`, containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

async function timed(label: string, n: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  console.log(`${label.padEnd(22)} ${(ms / n).toFixed(3)} ms/op wall, ${((cpu.user + cpu.system) / 1000 / n).toFixed(3)} ms/op CPU (${n} ops)`);
}

await timed('create (1 pod/commit)', N, (i) => store.create(clusterId, 'pods', pod(i)));
await timed('get', N, (i) => store.get(clusterId, 'pods', 'default', `web-${i}`));
await timed('update (status)', N, async (i) => {
  const p = (await store.get(clusterId, 'pods', 'default', `web-${i}`))!;
  p.status = { ...p.status, podIP: `10.0.0.${i % 250}` };
  return store.update(clusterId, 'pods', p);
});
await timed(`list ${N} pods`, 20, () => store.list(clusterId, 'pods', { namespace: 'default' }));
await timed('delete', N, (i) => store.delete(clusterId, 'pods', 'default', `web-${i}`));

console.log(`machine: ${cpus().length}× ${cpus()[0].model}, load ${loadavg()[0].toFixed(1)}, node ${process.version}`);
await database.close();
rmSync(dir, { recursive: true, force: true });
