/**
 * Background cost of simulated nodes and pods, in one process against a SQLite-backed store:
 *  1. node heartbeats: a tick of the node-heartbeat controller renewing 1,000 Leases (CPU ms),
 *  2. kubelet start-up: bound pods to Running, Events included (pods/s, CPU ms per pod),
 *  3. the kubelet over 30,000 running pods: the first (cold) pass and a steady tick with nothing due,
 *  4. usage sampling over those pods: the pure model, and with the store read,
 *  5. the heap a worker keeps for that cluster between passes.
 *
 *   npx tsx bench/kubelet.ts [--nodes 1000] [--pods 30000] [--startup 3000]
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openSqlite } from '../src/platform/sqlite.ts';
import { ObjectStore, type WriteOp } from '../src/store/objects.ts';
import { storeEventRecorder } from '../src/kube/events.ts';
import type { KubeObject } from '../src/kube/types.ts';
import type { Controller, ReconcileContext } from '../src/controllers/runtime.ts';
import type { Logger } from '../src/lib/logger.ts';
import { nodeHeartbeatController } from '../src/kubelet/node-heartbeat.ts';
import { kubeletController } from '../src/kubelet/controller.ts';
import { forgetPodCache } from '../src/kubelet/pod-cache.ts';
import { stepPod } from '../src/kubelet/step.ts';
import { PodIpPool } from '../src/kubelet/pod-ips.ts';
import { podUsage } from '../src/kubelet/usage.ts';
import { addClusterRow } from '../test/helpers/store.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const NODES = arg('nodes', 1000);
const PODS = arg('pods', 30000);
const STARTUP = arg('startup', 3000);
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

let clusterMs = Date.parse('2026-01-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'kates-bench-kubelet-'));
const database = openSqlite(join(dir, 'bench.db'));
const store = new ObjectStore(database, { now: () => clusterMs });
const clusterId = 'cls_bench';
await addClusterRow(database, clusterId, clusterMs);
const ctx: ReconcileContext = {
  clusterId,
  store,
  now: () => clusterMs,
  log: silent,
  events: storeEventRecorder(store, clusterId, () => clusterMs),
  trigger() {},
};

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
function makePod(i: number, prefix: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${prefix}-${i.toString(36).padStart(5, '0')}`,
      namespace: 'default',
      uid: `${prefix}-uid-${i}`,
      creationTimestamp: new Date(clusterMs).toISOString().replace('.000Z', 'Z'),
      labels: { app: prefix },
      annotations: { 'kates.dev/cpu-usage': '120m', 'kates.dev/memory-usage': '96Mi', 'kates.dev/image-pull-seconds': '1' },
    },
    spec: {
      nodeName: nodeName(i % NODES),
      restartPolicy: 'Always',
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/', port: 80 } },
        },
      ],
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
  for (let passes = 1; ; passes++) if (!((await c.reconcile(ctx)) ?? {}).more) return passes;
}

async function commitAll(objects: KubeObject[], resource: string): Promise<void> {
  for (let i = 0; i < objects.length; i += 500) {
    await store.commit(
      clusterId,
      objects.slice(i, i + 500).map((object): WriteOp => ({ op: 'create', resource, object })),
    );
  }
}

const fmt = (n: number, d = 1) => n.toFixed(d);
console.log(`machine: ${cpus()[0].model}, ${cpus().length} cores, node ${process.version}, load average ${loadavg()[0].toFixed(1)}`);
console.log(`cluster: ${NODES} nodes, ${PODS} running pods, ${STARTUP} pods started through the kubelet\n`);

// 1. Heartbeats.
await commitAll(
  Array.from({ length: NODES }, (_, i) => makeNode(i)),
  'nodes',
);
const first = await timed(() => drain(nodeHeartbeatController));
console.log(`heartbeat, first tick (pod CIDRs, status, ${NODES} Leases created): ${fmt(first.cpuMs)} ms CPU in ${first.result} passes`);
const ticks: number[] = [];
for (let t = 0; t < 5; t++) {
  clusterMs += 10_000;
  ticks.push((await timed(() => drain(nodeHeartbeatController))).cpuMs);
}
console.log(
  `heartbeat, steady tick (${NODES} Lease renewals, every 10 s of cluster time): ${fmt(ticks.reduce((a, b) => a + b) / ticks.length)} ms CPU per tick`,
);

// 2. Start-up through the kubelet: admit, pull, start, with every Event written.
await commitAll(
  Array.from({ length: STARTUP }, (_, i) => makePod(i, 'start')),
  'pods',
);
const startup = await timed(async () => {
  let passes = 0;
  for (let round = 0; round < 5; round++) {
    passes += await drain(kubeletController);
    clusterMs += 1000;
  }
  return passes;
});
const started = (await store.list(clusterId, 'pods', { filter: (p) => p.status?.phase === 'Running' })).items.length;
console.log(
  `\nkubelet start-up: ${started}/${STARTUP} pods Running, ${fmt(started / (startup.wallMs / 1000), 0)} pods/s wall, ${fmt(startup.cpuMs / started, 2)} ms CPU per pod (status writes and 4 Events each), ${startup.result} passes`,
);

// 3. 30,000 running pods: stepped in memory to Running, then stored (as the kubelet would have written them).
const nodes = new Map((await store.list(clusterId, 'nodes')).items.map((n) => [n.metadata.name!, n]));
const pools = new Map([...nodes].map(([name, n]) => [name, new PodIpPool(n.spec.podCIDR)]));
for (const p of (await store.list(clusterId, 'pods')).items) if (p.status?.podIP) pools.get(p.spec.nodeName)!.markUsed(p.status.podIP);
const running = Array.from({ length: PODS - STARTUP }, (_, i) => {
  const pod = makePod(i, 'run');
  const env = {
    node: nodes.get(pod.spec.nodeName)!,
    allocatePodIP: () => pools.get(pod.spec.nodeName)!.allocate(),
    imagePresent: () => true,
    keys: () => undefined,
    claimBound: () => true,
  };
  return stepPod(stepPod(pod, env, clusterMs).pod, env, clusterMs + 1000).pod;
});
await commitAll(running, 'pods');
clusterMs += 2000;
forgetPodCache(store, clusterId);
const cold = await timed(() => kubeletController.reconcile(ctx));
console.log(`kubelet, first pass over ${PODS} running pods (reads them all, builds its cache): ${fmt(cold.cpuMs)} ms CPU`);
clusterMs += 10_000;
const steady: number[] = [];
for (let t = 0; t < 5; t++) {
  steady.push((await timed(() => kubeletController.reconcile(ctx))).cpuMs);
  clusterMs += 10_000;
}
console.log(`kubelet, steady tick over ${PODS} running pods (nothing due): ${fmt(steady.reduce((a, b) => a + b) / steady.length)} ms CPU per tick`);

// 4. Usage sampling.
const pods = (await store.list(clusterId, 'pods')).items;
const pure = await timed(async () => pods.reduce((sum, p) => sum + podUsage(p).cpuMillis, 0));
const withRead = await timed(async () => (await store.list(clusterId, 'pods')).items.reduce((sum, p) => sum + podUsage(p).cpuMillis, 0));
console.log(
  `\nusage sampling over ${pods.length} pods: ${fmt(pure.cpuMs)} ms CPU for the model alone, ${fmt(withRead.cpuMs)} ms CPU with the store read (cluster total ${fmt(pure.result / 1000)} cores)`,
);
pods.length = 0;

// 5. What the worker keeps for this cluster between passes (the kubelet's pod cache).
gc();
const held = process.memoryUsage().heapUsed;
forgetPodCache(store, clusterId);
gc();
const without = process.memoryUsage().heapUsed;
console.log(
  `\nworker memory held for the cluster between passes (kubelet pod cache, ${PODS} pods): ${fmt((held - without) / 1048576)} MiB; process heap ${fmt(without / 1048576)} MiB, RSS ${fmt(process.memoryUsage().rss / 1048576)} MiB`,
);

await database.close();
rmSync(dir, { recursive: true, force: true });
