import { test } from 'node:test';
import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { KubeObject } from '../../../src/kube/types.ts';
import { FamilySet } from '../../../src/monitoring/prometheus/families.ts';
import { addKindFamilies } from '../../../src/monitoring/prometheus/kube-state.ts';
import { podMetrics } from '../../../src/monitoring/prometheus/kube-state-pods.ts';
import { jobMetrics, hpaMetrics } from '../../../src/monitoring/prometheus/kube-state-workloads.ts';
import { renderFamilies } from '../../../src/platform/prometheus.ts';

const crashing: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'api-1',
    namespace: 'shop',
    uid: 'u1',
    creationTimestamp: '2026-01-01T00:00:00Z',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-5d4', uid: 'r', controller: true }],
  },
  spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'shop/api:1', resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
  status: {
    phase: 'Running',
    startTime: '2026-01-01T00:00:05Z',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [
      {
        name: 'app',
        ready: false,
        restartCount: 7,
        image: 'shop/api:1',
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
      },
    ],
  },
};

test('pod families follow kube-state-metrics: enumerations, reasons, counters, units, and escaping through prom-client', async () => {
  const f = new FamilySet();
  addKindFamilies(f, podMetrics, [crashing]);
  addKindFamilies(f, jobMetrics, [
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi', namespace: 'x' },
      spec: { completions: 1 },
      status: { failed: 7, conditions: [{ type: 'Failed', status: 'True' }] },
    },
  ]);
  addKindFamilies(f, hpaMetrics, [
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } }] },
      status: { currentReplicas: 2, desiredReplicas: 3 },
    },
  ]);
  const text = (await renderFamilies(f.all())).body;
  const parsed = parsePrometheusTextFormat(text);
  const get = (name: string, labels: Record<string, string>) =>
    parsed
      .find((p) => p.name === name)
      ?.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
      .map((m) => Number(m.value));
  const pod = { namespace: 'shop', pod: 'api-1', uid: 'u1' };
  assert.deepEqual(get('kube_pod_status_phase', pod), [0, 1, 0, 0, 0]);
  assert.deepEqual(get('kube_pod_status_ready', { ...pod, condition: 'false' }), [1]);
  assert.deepEqual(get('kube_pod_container_status_waiting_reason', { ...pod, reason: 'CrashLoopBackOff' }), [1]);
  assert.deepEqual(get('kube_pod_container_status_last_terminated_reason', { ...pod, reason: 'OOMKilled' }), [1]);
  assert.deepEqual(get('kube_pod_container_status_last_terminated_exitcode', pod), [137]);
  assert.deepEqual(get('kube_pod_container_status_restarts_total', pod), [7]);
  assert.deepEqual(get('kube_pod_container_resource_limits', { ...pod, resource: 'memory', unit: 'byte', node: 'n1' }), [1024 ** 3]);
  assert.deepEqual(get('kube_pod_container_resource_limits', { ...pod, resource: 'cpu', unit: 'core' }), [1]);
  assert.deepEqual(get('kube_pod_created', pod), [Date.parse('2026-01-01T00:00:00Z') / 1000]);
  assert.deepEqual(get('kube_pod_owner', { ...pod, owner_kind: 'ReplicaSet', owner_name: 'api-5d4', owner_is_controller: 'true' }), [1]);
  assert.deepEqual(get('kube_job_status_failed', { namespace: 'x', job_name: 'pi' }), [7], 'Jobs use the job_name label');
  assert.deepEqual(get('kube_job_failed', { job_name: 'pi', condition: 'true' }), [1]);
  assert.deepEqual(
    get('kube_horizontalpodautoscaler_spec_target_metric', { horizontalpodautoscaler: 'api', metric_name: 'memory', metric_target_type: 'average' }),
    [512 * 1024 ** 2],
  );
  assert.match(text, /^# TYPE kube_pod_container_status_restarts_total counter$/m);

  // Label values with quotes, backslashes and newlines survive the round trip.
  const odd = new FamilySet();
  odd.add('kube_node_spec_taint', 'The taint of a cluster node.', { node: 'n1', key: 'team', value: 'a"b\\c\nd', effect: 'NoSchedule' }, 1);
  const back = parsePrometheusTextFormat((await renderFamilies(odd.all())).body);
  assert.equal(back[0].metrics[0].labels?.value, 'a"b\\c\nd');
});

test("each kind renders object by object: a pod's container families repeat per container, skipping status series a container lacks", () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'two', namespace: 'shop', uid: 'u2' },
    spec: {
      containers: [
        { name: 'first', image: 'a' },
        { name: 'second', image: 'b', resources: { requests: { cpu: '250m' } } },
      ],
    },
    status: { phase: 'Pending', containerStatuses: [{ name: 'second', ready: true, restartCount: 2, state: { running: {} } }] },
  };
  const f = new FamilySet();
  addKindFamilies(f, podMetrics, [pod]);
  const families = f.all();
  const byName = new Map(families.map((fam) => [fam.name, fam]));
  assert.deepEqual(
    byName.get('kube_pod_container_info')!.samples.map((s) => s.labels.container),
    ['first', 'second'],
  );
  assert.deepEqual(byName.get('kube_pod_container_status_ready')!.samples, [
    { labels: { namespace: 'shop', pod: 'two', uid: 'u2', container: 'second' }, value: 1 },
  ]);
  assert.deepEqual(byName.get('kube_pod_container_resource_requests')!.samples, [
    { labels: { namespace: 'shop', pod: 'two', uid: 'u2', container: 'second', node: '', resource: 'cpu', unit: 'core' }, value: 0.25 },
  ]);
  assert.equal(byName.get('kube_pod_container_status_restarts_total')!.type, 'counter');
  assert.equal(byName.has('kube_pod_status_ready'), false, 'no Ready condition, no series');
  // Families appear in the order the kind lists them, pod families before container ones.
  const names = families.map((fam) => fam.name);
  assert.ok(names.indexOf('kube_pod_info') < names.indexOf('kube_pod_status_phase'));
  assert.ok(names.indexOf('kube_pod_status_phase') < names.indexOf('kube_pod_container_info'));
  assert.deepEqual(
    byName.get('kube_pod_status_phase')!.samples.map((s) => s.value),
    [1, 0, 0, 0, 0],
  );
});
