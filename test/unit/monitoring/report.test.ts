import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types.ts';
import { takeSnapshot, type ClusterSnapshot } from '../../../src/monitoring/snapshot.ts';
import { buildReport } from '../../../src/monitoring/report.ts';
import { hpaDecisions } from '../../../src/monitoring/hpa-decisions.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const MiB = 1024 * 1024;

const node = (name: string, pool: string, ready = true): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kates.dev/node-pool': pool, 'node.kubernetes.io/instance-type': 'm5.large' } },
  status: { allocatable: { cpu: '2000m', memory: '8000Mi', pods: '110' }, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

const pod = (name: string, nodeName: string | undefined, phase: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', annotations: { 'kates.dev/cpu-usage': '250m', 'kates.dev/memory-usage': '100Mi' } },
  spec: { nodeName, containers: [{ name: 'app', resources: { requests: { cpu: '500m', memory: '200Mi' } } }] },
  status: { phase, containerStatuses: phase === 'Running' ? [{ name: 'app', state: { running: {} }, restartCount: 0 }] : [] },
  ...extra,
});

test('a snapshot sums requests of bound pods and declared usage of running ones, plus system usage', () => {
  const s = takeSnapshot({
    nodes: [node('n1', 'default'), node('n2', 'default')],
    pods: [
      pod('a', 'n1', 'Running'),
      pod('b', 'n1', 'Running'),
      pod('c', 'n2', 'Pending'),
      pod('d', undefined, 'Pending', { status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } }),
      pod('e', 'n2', 'Succeeded'),
    ],
    deployments: [],
    hpas: [],
  });
  const n1 = s.nodes.find((n) => n.name === 'n1')!;
  assert.equal(n1.cpuRequests, 1000);
  assert.equal(n1.cpuUsage, 60 + 2 * 250); // the node's system daemons use 60m
  assert.equal(n1.memoryUsage, 400 * MiB + 2 * 100 * MiB);
  const n2 = s.nodes.find((n) => n.name === 'n2')!;
  assert.equal(n2.cpuRequests, 500, 'a bound Pending pod reserves its requests; a Succeeded one does not');
  assert.equal(n2.cpuUsage, 60, 'a pod whose container is not running uses nothing');
  assert.deepEqual(s.pods.phases, { Pending: 2, Running: 2, Succeeded: 1, Failed: 0, Unknown: 0 });
  assert.equal(s.pods.unschedulable, 1);
});

function snap(replicas: number, desired: number, util: number | null, nodes = 1): ClusterSnapshot {
  return {
    nodes: Array.from({ length: nodes }, (_, i) => ({
      name: `n${i}`,
      pool: 'p',
      instanceType: 'm5.large',
      ready: true,
      cpuAllocatable: 2000,
      memoryAllocatable: 1000,
      cpuRequests: 500,
      memoryRequests: 250,
      cpuUsage: 1000,
      memoryUsage: 100,
      pods: 2,
    })),
    pods: { phases: { Pending: 0, Running: replicas, Succeeded: 0, Failed: 0, Unknown: 0 }, unschedulable: 0, crashLooping: 0, restarts: replicas },
    deployments: [{ namespace: 'default', name: 'web', desired, ready: replicas, available: replicas, updated: replicas }],
    hpas: [
      {
        namespace: 'default',
        name: 'web',
        target: 'Deployment/web',
        minReplicas: 1,
        maxReplicas: 10,
        currentReplicas: replicas,
        desiredReplicas: desired,
        cpuUtilization: util,
        targetCpuUtilization: 50,
        reason: 'SucceededRescale: x',
      },
    ],
  };
}

test('series carry each sample forward to the following steps and stop at the end and after the lookback', () => {
  const samples = [
    { at: T0 + 5_000, snapshot: snap(2, 2, 40) },
    { at: T0 + 35_000, snapshot: snap(2, 4, 90, 2) },
    { at: T0 + 50_000, snapshot: snap(4, 4, 45, 2) },
  ];
  const r = buildReport(samples, { fromMs: T0, toMs: T0 + 90_000, stepMs: 15_000, endMs: T0 + 75_000, lookbackMs: 3_600_000 });
  assert.equal(r.timestamps.length, 7);
  assert.equal(r.timestamps[0], '2026-01-01T00:00:00.000Z');
  assert.deepEqual(r.deployments[0].desired, [null, 2, 2, 4, 4, 4, null]);
  assert.deepEqual(r.deployments[0].ready, [null, 2, 2, 2, 4, 4, null]);
  assert.deepEqual(r.pools[0].nodes, [null, 1, 1, 2, 2, 2, null]);
  assert.deepEqual(r.pools[0].cpu.usage, [null, 1, 1, 2, 2, 2, null]);
  assert.deepEqual(r.pools[0].cpu.usagePercent, [null, 50, 50, 50, 50, 50, null]);
  assert.deepEqual(r.pools[0].memory.requestsPercent, [null, 25, 25, 25, 25, 25, null]);
  assert.deepEqual(r.hpas[0].cpuUtilization, [null, 40, 40, 90, 45, 45, null]);
  assert.deepEqual(r.pods.restarts, [null, null, 0, 0, 2, 0, null]);
  assert.deepEqual(
    r.hpaDecisions.map((d) => [d.at, d.fromReplicas, d.toReplicas, d.cpuUtilization]),
    [['2026-01-01T00:00:35.000Z', 2, 4, 90]],
  );

  const stale = buildReport(samples, { fromMs: T0, toMs: T0 + 90_000, stepMs: 15_000, endMs: T0 + 90_000, lookbackMs: 20_000 });
  assert.deepEqual(stale.deployments[0].desired, [null, 2, null, 4, 4, null, null], 'a sample older than the lookback is not carried forward');
});

test('HPA decisions inside the window use the sample before it as the baseline', () => {
  const samples = [
    { at: T0, snapshot: snap(2, 2, 40) },
    { at: T0 + 60_000, snapshot: snap(2, 5, 120) },
    { at: T0 + 120_000, snapshot: snap(5, 3, 20) },
  ];
  assert.deepEqual(
    hpaDecisions(samples, T0 + 30_000, T0 + 200_000).map((d) => [d.fromReplicas, d.toReplicas]),
    [
      [2, 5],
      [5, 3],
    ],
  );
  assert.deepEqual(
    hpaDecisions(samples, T0 + 60_000, T0 + 200_000).map((d) => [d.fromReplicas, d.toReplicas]),
    [[5, 3]],
  );
  // First seen already wanting more than it runs: that is a decision too. Not yet written: nothing.
  const unwritten = snap(0, 0, null);
  unwritten.hpas[0].currentReplicas = 0;
  const firstSeen = [
    { at: T0, snapshot: unwritten },
    { at: T0 + 15_000, snapshot: snap(2, 5, 100) },
  ];
  assert.deepEqual(
    hpaDecisions(firstSeen, T0 - 1, T0 + 60_000).map((d) => [d.fromReplicas, d.toReplicas]),
    [[2, 5]],
  );
});
