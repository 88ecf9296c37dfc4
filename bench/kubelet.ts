/**
 * Background cost of simulated nodes, in one process against a SQLite-backed store:
 *  1. node heartbeats: one tick of the node-heartbeat controller renewing 1,000 Leases (CPU ms),
 *  2. usage sampling: the declared-usage model over 30,000 running pods, pure and with the store read,
 *  3. a kubelet pass over 30,000 running pods with nothing due (the steady state),
 *  4. pod start-up throughput (bound pods to Running, events included),
 * and the heap the worker holds for that cluster.
 *
 *   npx tsx bench/kubelet.ts [--nodes 1000] [--pods 30000]
 */
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqlite } from '../src/platform/sqlite.ts';
import { ObjectStore } from '../src/store/objects.ts';
import { storeEventRecorder } from '../src/kube/events.ts';
import type { KubeObject } from '../src/kube/types.ts';
import type { Controller, ReconcileContext } from '../src/controllers/runtime.ts';
import type { Logger } from '../src/lib/logger.ts';
import { nodeHeartbeatController } from '../src/kubelet/node-heartbeat.ts';
import { kubeletController } from '../src/kubelet/controller.ts';
import { podUsage } from '../src/kubelet/usage.ts';
import { addClusterRow } from '../test/helpers/store.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const NODES = arg('nodes', 1000);
const PODS = arg('pods', 30000);
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

let clusterMs = Date.parse('2026-01-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'kates-bench-kubelet-'));
const database = openSqlite(join(dir, 'bench.db'));
const store = new ObjectStore(database, { now: () => clusterMs });
const clusterId = 'cls_bench';
await addClusterRow(database, clusterId, clusterMs);
const ctx: ReconcileContext = { clusterId, store, now: () => clusterMs, log: silent, events: storeEventRecorder(store, clusterId, () => clusterMs), trigger() {} };

const nodeName = (i: number) => `ip-10-0-${Math.trunc(i / 250)}-${i % 250}.ec2.internal`;
function makeNode(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: nodeName(i), labels: { 'topology.kubernetes.io/zone': ZONES[i % 3], 'node.kubernetes.io/instance-type': 'm5.xlarge' } },
    spec: {},
    status: { capacity: { cpu: '4', memory: '16Gi', pods: '58' }, allocatable: { cpu: '3920m', memory: '15Gi', pods: '58' } },
  };
}
function makePod(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${i.toString(36).padStart(5, '0')}`, namespace: 'default', labels: { app: 'web' }, annotations: { 'kates.dev/cpu-usage': '120m', 'kates.dev/memory-usage': '96Mi', 'kates.dev/image-pull-seconds': '1' } },
    spec: {
      nodeName: nodeName(i % NODES),
      restartPolicy: 'Always',
      containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, readinessProbe: { httpGet: { path: '/', port: 80 } } }],
    },
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ wallMs: number; cpuMs: number; result: T }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, result };
}

/** Passes of one controller until it has no more work right now. */
async function drain(c: Controller): Promise<number> {
  let passes = 0;
  for (;;) {
    passes++;
    const r = (await c.reconcile(ctx)) ?? {};
    if (!r.more) return passes;
  }
}

const fmt = (n: number) => n.toFixed(1);
console.log(`machine: ${cpus()[0].model}, ${cpus().length} cores, node ${process.version}`);
console.log(`cluster: ${NODES} nodes, ${PODS} pods\n`);

for (let i = 0; i < NODES; i += 500) {
  await store.commit(clusterId, Array.from({ length: Math.min(500, NODES - i) }, (_, k) => ({ op: 'create' as const, resource: 'nodes', object: makeNode(i + k) })));
}
const first = await timed(() => drain(nodeHeartbeatController));
console.log(`heartbeat, first tick (IPAM, status, ${NODES} Leases created): ${fmt(first.cpuMs)} ms CPU, ${fmt(first.wallMs)} ms wall, ${first.result} passes`);
const ticks: number[] = [];
for (let t = 0; t < 5; t++) {
  clusterMs += 10_000;
  const tick = await timed(() => drain(nodeHeartbeatController));
  ticks.push(tick.cpuMs);
}
console.log(`heartbeat, steady tick (${NODES} Lease renewals every 10 s): ${fmt(ticks.reduce((a, b) => a + b) / ticks.length)} ms CPU per tick (avg of ${ticks.length})`);

for (let i = 0; i < PODS; i += 500) {
  await store.commit(clusterId, Array.from({ length: Math.min(500, PODS - i) }, (_, k) => ({ op: 'create' as const, resource: 'pods', object: makePod(i + k) })));
}
const startup = await timed(async () => {
  let passes = 0;
  for (let round = 0; round < 20; round++) {
    passes += await drain(kubeletController);
    clusterMs += 1000;
  }
  return passes;
});
const running = (await store.list(clusterId, 'pods', { filter: (p) => p.status?.phase === 'Running' })).items.length;
console.log(`\nkubelet start-up: ${running}/${PODS} pods Running in ${fmt(startup.wallMs / 1000)} s wall (${fmt(startup.cpuMs / 1000)} s CPU, ${startup.result} passes), ${fmt(running / (startup.wallMs / 1000))} pods/s`);

const heapBefore = process.memoryUsage().heapUsed;
const steady = await timed(() => kubeletController.reconcile(ctx));
console.log(`kubelet pass, steady state (${PODS} running pods, nothing due): ${fmt(steady.cpuMs)} ms CPU, ${fmt(steady.wallMs)} ms wall`);

const pods = (await store.list(clusterId, 'pods')).items;
const sample = await timed(async () => {
  let cpu = 0;
  for (const p of pods) cpu += podUsage(p).cpuMillis;
  return cpu;
});
const sampleWithRead = await timed(async () => {
  const all = (await store.list(clusterId, 'pods')).items;
  let cpu = 0;
  for (const p of all) cpu += podUsage(p).cpuMillis;
  return cpu;
});
console.log(`usage sampling, ${pods.length} pods: ${fmt(sample.cpuMs)} ms CPU pure model, ${fmt(sampleWithRead.cpuMs)} ms CPU with the store read (cluster usage ${Math.round(sample.result)}m)`);
global.gc?.();
const heapHeld = process.memoryUsage().heapUsed - heapBefore;
console.log(`\nworker heap held for the cluster after a pass: ${fmt(Math.max(0, heapHeld) / 1048576)} MiB (pods list kept by the bench itself: ${pods.length})`);
console.log(`process RSS: ${fmt(process.memoryUsage().rss / 1048576)} MiB`);

await database.close();
rmSync(dir, { recursive: true, force: true });
