/**
 * One HorizontalPodAutoscaler + cluster-autoscaler pass over 100 clusters of 50 nodes each, against
 * a SQLite-backed store, as a worker runs them. Each cluster: an autoscaled pool of 50 m5.xlarge,
 * 10 Deployments of 40 pods (half the nodes busy, half under the scale-down threshold), an HPA per
 * Deployment with fresh metrics, and a few unschedulable pods for the scale-up simulation.
 * Reports the first (cold) pass and a steady pass 15 s of cluster time later.
 *
 *   npx tsx bench/autoscaling.ts [--clusters 100] [--nodes 50]
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { openSqlite } from '../src/platform/sqlite.ts';
import { ObjectStore, type WriteOp } from '../src/store/objects.ts';
import { storeEventRecorder } from '../src/kube/events.ts';
import type { KubeObject } from '../src/kube/types.ts';
import type { ReconcileContext } from '../src/controllers/runtime.ts';
import type { Logger } from '../src/lib/logger.ts';
import { isoTime } from '../src/lib/clock.ts';
import { clusters, nodePools } from '../src/store/schema/index.ts';
import { getCluster, poolsOf } from '../src/services/clusters/internal.ts';
import { syncPoolNodes } from '../src/clusters/pool-nodes.ts';
import { sampleStatements } from '../src/metrics/write.ts';
import { hpaController } from '../src/autoscaling/hpa/controller.ts';
import { clusterAutoscalerController } from '../src/autoscaling/cluster-autoscaler/controller.ts';
import { addClusterRow, ManualClock } from '../test/helpers/store.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CLUSTERS = arg('clusters', 100);
const NODES = arg('nodes', 50);
const DEPLOYMENTS = 10;
const PODS_PER_DEPLOYMENT = 40;
const PENDING = 6;

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function deployment(i: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `app-${i}`, namespace: 'default' },
    spec: {
      replicas: PODS_PER_DEPLOYMENT,
      selector: { matchLabels: { app: `app-${i}` } },
      template: {
        metadata: { labels: { app: `app-${i}` } },
        spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '200m', memory: '256Mi' } } }] },
      },
    },
  };
}

function hpa(i: number): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: `app-${i}`, namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `app-${i}` },
      minReplicas: 2,
      maxReplicas: 80,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    },
  };
}

function pod(d: number, k: number, node: string | undefined, startedAt: number): KubeObject {
  const name = `app-${d}-5d4f8-${k.toString(36).padStart(5, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: { app: `app-${d}`, 'pod-template-hash': '5d4f8' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `app-${d}-5d4f8`, uid: `rs-${d}`, controller: true }],
    },
    spec: {
      ...(node ? { nodeName: node } : {}),
      containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: node ? '200m' : '3500m', memory: '256Mi' } } }],
    },
    status: node
      ? { phase: 'Running', startTime: isoTime(startedAt), conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: isoTime(startedAt) }] }
      : {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/50 nodes are available: 50 Insufficient cpu.' }],
        },
  };
}

async function setup(dir: string) {
  const database = openSqlite(join(dir, 'bench.db'));
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const store = new ObjectStore(database, clock);
  const ids: string[] = [];
  for (let c = 0; c < CLUSTERS; c++) {
    const id = `cls_bench${c}`;
    ids.push(id);
    await addClusterRow(database, id, clock.now());
    await database.db
      .update(clusters)
      .set({ settings: JSON.stringify({ autoscaler: {} }) })
      .where(eq(clusters.id, id))
      .run();
    await database.db
      .insert(nodePools)
      .values({ clusterId: id, name: 'default', instanceType: 'm5.xlarge', count: NODES, minCount: 10, maxCount: NODES + 20, autoscaling: true })
      .run();
    await syncPoolNodes(database, store, (await getCluster(database, id))!, (await poolsOf(database, id))[0]);
    const nodes = (await store.list(id, 'nodes')).items.map((n) => n.metadata.name!);
    const ops: WriteOp[] = [{ op: 'create', resource: 'namespaces', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } } }];
    const samples = [];
    for (let d = 0; d < DEPLOYMENTS; d++) {
      ops.push(
        { op: 'create', resource: 'deployments.apps', object: deployment(d) },
        { op: 'create', resource: 'horizontalpodautoscalers.autoscaling', object: hpa(d) },
      );
      for (let k = 0; k < PODS_PER_DEPLOYMENT; k++) {
        // The first half of the nodes get three times the pods of the second half.
        const slot = (d * PODS_PER_DEPLOYMENT + k) % (NODES * 2);
        const node = nodes[slot < NODES * 1.5 ? slot % (NODES / 2) : NODES / 2 + (slot % (NODES / 2))];
        const p = pod(d, k, node, clock.now() - 3_600_000);
        ops.push({ op: 'create', resource: 'pods', object: p });
        const cpu = 100 + ((d * 37 + k * 11) % 200);
        samples.push({
          kind: 'pod' as const,
          namespace: 'default',
          name: p.metadata.name!,
          cpuMilli: cpu,
          memoryBytes: 200e6,
          containers: [{ name: 'app', cpuMilli: cpu, memoryBytes: 200e6 }],
        });
      }
    }
    for (let k = 0; k < PENDING; k++) ops.push({ op: 'create', resource: 'pods', object: pod(0, 1000 + k, undefined, clock.now()) });
    for (let i = 0; i < ops.length; i += 500) await store.commit(id, ops.slice(i, i + 500));
    await database.atomicWrite(await sampleStatements(database, id, clock.now(), samples));
  }
  return { database, store, clock, ids };
}

function ctxFor(store: ObjectStore, clock: ManualClock, clusterId: string): ReconcileContext {
  const now = () => clock.now();
  return { clusterId, store, now, log: silent, events: storeEventRecorder(store, clusterId, now), trigger() {} };
}

async function pass(store: ObjectStore, clock: ManualClock, ids: string[]) {
  const per: number[] = [];
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (const id of ids) {
    const t = performance.now();
    const ctx = ctxFor(store, clock, id);
    await hpaController.reconcile(ctx);
    await clusterAutoscalerController.reconcile(ctx);
    per.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  per.sort((a, b) => a - b);
  return {
    wall: (performance.now() - wall) / 1000,
    cpu: (used.user + used.system) / 1e6,
    p50: per[Math.floor(per.length / 2)],
    p99: per[Math.min(per.length - 1, Math.floor(per.length * 0.99))],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'kates-bench-autoscaling-'));
try {
  const setupStart = performance.now();
  const { store, clock, ids } = await setup(dir);
  const machine = cpus();
  console.log(`machine: ${machine[0]?.model ?? 'unknown'}, ${machine.length} cores, node ${process.version}`);
  console.log(
    `${CLUSTERS} clusters × ${NODES} m5.xlarge nodes, ${DEPLOYMENTS * PODS_PER_DEPLOYMENT} running pods and ${DEPLOYMENTS} HPAs each, ${PENDING} unschedulable pods each (setup ${((performance.now() - setupStart) / 1000).toFixed(1)} s, SQLite file)`,
  );
  const show = (label: string, r: Awaited<ReturnType<typeof pass>>) =>
    console.log(
      `${label}: ${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU for ${CLUSTERS} clusters → ${((r.wall * 1000) / CLUSTERS).toFixed(1)} ms per cluster (p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms)`,
    );
  show('first pass (HPA first sync + autoscaler scale-up and scale-down analysis)', await pass(store, clock, ids));
  const rescaled = (
    await Promise.all(ids.map(async (id) => (await store.list(id, 'deployments.apps')).items.filter((d) => d.spec.replicas !== PODS_PER_DEPLOYMENT).length))
  ).reduce((a, b) => a + b, 0);
  const grown = (await Promise.all(ids.map(async (id) => (await poolsOf(store.database, id))[0].count - NODES))).reduce((a, b) => a + b, 0);
  console.log(
    `  did: ${rescaled} of ${CLUSTERS * DEPLOYMENTS} Deployments rescaled by their HPA, ${grown} nodes asked for (${grown / CLUSTERS} per cluster for ${PENDING} pods of 3.5 cores)`,
  );
  clock.advance(15_000);
  show('steady pass 15 s later', await pass(store, clock, ids));
  console.log(`load average: ${loadavg()[0].toFixed(1)} on ${machine.length} cores`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
