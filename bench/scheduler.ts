/**
 * Scheduler throughput on 1,000 nodes, in one process:
 *  1. the framework alone (scheduleOne + snapshot update per pod), and
 *  2. whole controller passes against a SQLite-backed store (list, snapshot, schedule, batched
 *     binding + event commits), which is what a worker sees.
 * Pods are ReplicaSet replicas, so the default topology spreading (hostname and zone) is scored.
 *
 *   npx tsx bench/scheduler.ts [--nodes 1000] [--pods 5000] [--per-pass 2000]
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqlite } from '../src/platform/sqlite.ts';
import { ObjectStore } from '../src/store/objects.ts';
import { storeEventRecorder } from '../src/kube/events.ts';
import type { KubeObject } from '../src/kube/types.ts';
import type { ReconcileContext } from '../src/controllers/runtime.ts';
import type { Logger } from '../src/lib/logger.ts';
import { scheduleOne } from '../src/scheduler/framework.ts';
import { computePodInfo } from '../src/scheduler/pod-info.ts';
import { assumePod, buildSnapshot } from '../src/scheduler/snapshot.ts';
import { runSchedulingPass } from '../src/scheduler/pass.ts';
import { addClusterRow } from '../test/helpers/store.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const NODES = arg('nodes', 1000);
const PODS = arg('pods', 5000);
const PER_PASS = arg('per-pass', 0) || undefined;
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

function makeNode(i: number): KubeObject {
  const name = `ip-10-0-${Math.trunc(i / 250)}-${i % 250}.ec2.internal`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': ZONES[i % ZONES.length], 'node.kubernetes.io/instance-type': 'm5.xlarge' },
    },
    spec: {},
    status: { allocatable: { cpu: '3920m', memory: '15Gi', pods: '58', 'ephemeral-storage': '95Gi' }, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

const RS = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web-7c5ddbdf54', namespace: 'default', uid: 'rs-uid' },
  spec: { replicas: PODS, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7c5ddbdf54' } } },
};

function makePod(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-7c5ddbdf54-${i.toString(36).padStart(5, '0')}`,
      namespace: 'default',
      uid: `pod-${i}`,
      labels: { app: 'web', 'pod-template-hash': '7c5ddbdf54' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: RS.metadata.name, uid: RS.metadata.uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      schedulerName: 'default-scheduler',
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          ports: [{ containerPort: 80, protocol: 'TCP' }],
        },
      ],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

/** Wall-clock and CPU seconds of a phase: on a shared machine CPU time is the steadier figure. */
function timer() {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 };
  };
}

function frameworkOnly(nodes: KubeObject[], pods: KubeObject[]): { wall: number; cpu: number } {
  const snapshot = buildSnapshot({ nodes, pods: [], replicaSets: [RS] });
  const stop = timer();
  let start = 0;
  for (const p of pods) {
    const info = computePodInfo(p, snapshot.priorityClasses);
    const r = scheduleOne(info, snapshot, { startIndex: start });
    if (!r.node) throw new Error(`pod ${p.metadata.name} did not fit`);
    start = r.nextStartIndex;
    assumePod(snapshot, info, r.node);
  }
  return stop();
}

async function endToEnd(nodes: KubeObject[], pods: KubeObject[]): Promise<{ wall: number; cpu: number; passes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'kates-sched-bench-'));
  try {
    const database = openSqlite(join(dir, 'bench.db'));
    const clock = { now: () => Date.now() };
    const store = new ObjectStore(database, clock);
    const clusterId = 'cls_bench';
    await addClusterRow(database, clusterId, clock.now());
    const chunk = 500;
    for (let i = 0; i < nodes.length; i += chunk)
      await store.commit(
        clusterId,
        nodes.slice(i, i + chunk).map((object) => ({ op: 'create' as const, resource: 'nodes', object })),
      );
    await store.create(clusterId, 'replicasets.apps', RS);
    for (let i = 0; i < pods.length; i += chunk)
      await store.commit(
        clusterId,
        pods.slice(i, i + chunk).map((object) => ({ op: 'create' as const, resource: 'pods', object })),
      );
    const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
    const ctx: ReconcileContext = { clusterId, store, now: clock.now, log: silent, events: storeEventRecorder(store, clusterId, clock.now), trigger() {} };
    const stop = timer();
    let passes = 0;
    for (;;) {
      passes++;
      const r = await runSchedulingPass(ctx, { maxPodsPerPass: PER_PASS });
      if (!r.more) break;
    }
    const took = stop();
    const bound = (await store.list(clusterId, 'pods', { filter: (p) => Boolean(p.spec?.nodeName) })).items.length;
    if (bound !== pods.length) throw new Error(`only ${bound}/${pods.length} pods bound`);
    await database.close?.();
    return { ...took, passes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const nodes = Array.from({ length: NODES }, (_, i) => makeNode(i));
const pods = Array.from({ length: PODS }, (_, i) => makePod(i));
const cpu = cpus();
console.log(`machine: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores, node ${process.version}`);
console.log(`cluster: ${NODES} nodes, ${PODS} pending ReplicaSet pods (100m / 128Mi each)`);
frameworkOnly(nodes.slice(0, 50), pods.slice(0, 200)); // warm-up
const rate = (t: { wall: number; cpu: number }) => `${(PODS / t.wall).toFixed(0)} pods/s wall, ${(PODS / t.cpu).toFixed(0)} pods per CPU-second`;
const fw = frameworkOnly(nodes, pods);
console.log(`framework only (scheduleOne + snapshot update): ${rate(fw)}`);
const e2e = await endToEnd(nodes, pods);
console.log(`controller passes on SQLite (bindings, conditions, Scheduled events): ${rate(e2e)} (${e2e.passes} passes, ${e2e.wall.toFixed(2)} s)`);
console.log(`load average while running: ${loadavg()[0].toFixed(1)} on ${cpu.length} cores`);
console.log(`target ≥ 1000 pods/s: ${PODS / e2e.wall >= 1000 ? 'met' : 'NOT met'} (wall clock)`);
