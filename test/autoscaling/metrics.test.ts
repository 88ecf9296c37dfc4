import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/kube/types.ts';
import { metricsController } from '../../src/metrics/controller.ts';
import { createMetricsApi } from '../../src/metrics/metrics-api.ts';
import { latestSamples, readRollups, readSamples } from '../../src/metrics/read.ts';
import { putTrafficSpec } from '../../src/traffic/store.ts';
import { autoscalingWorld } from './helpers/world.ts';

const MiB = 1024 * 1024;

async function cluster() {
  const w = await autoscalingWorld();
  await w.create('nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', labels: { pool: 'a' } },
    spec: { podCIDR: '10.244.1.0/24' },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const pod = (name: string, app: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app }, annotations: { 'kates.dev/cpu-usage': '100m', 'kates.dev/memory-usage': '64Mi' } },
    spec: { nodeName: 'n1', containers: [{ name: 'app', ports: [{ containerPort: 80 }] }] },
    status: {
      phase: 'Running',
      podIP: '10.244.1.9',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'app', state: { running: {} } }],
    },
  });
  await w.create('pods', pod('web-1', 'web'));
  await w.create('pods', pod('db-1', 'db'));
  await w.create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  });
  return w;
}

test('every 15 s of cluster time: samples with traffic, a rolling window, minute and hour rollups', async () => {
  const w = await cluster();
  await putTrafficSpec(w.database, w.clusterId, { services: [{ namespace: 'default', name: 'web', rps: 40, cpuPerRequest: '5m' }] }, w.clock.now());
  const t0 = w.clock.now();
  assert.equal((await w.run(metricsController)).requeueAfterMs, 15_000, 'usage changed: one more look an interval later');
  assert.equal((await w.run(metricsController)).requeueAfterMs, undefined, 'unchanged usage under a constant load: nothing is due');
  assert.equal((await readSamples(w.database, w.clusterId, { kind: 'pod' })).length, 2);
  for (let i = 0; i < 7; i++) {
    w.clock.advance(15_000);
    await w.run(metricsController);
  }
  const web = await readSamples(w.database, w.clusterId, { kind: 'pod', namespace: 'default', name: 'web-1' });
  assert.equal(web.length, 8);
  assert.ok(
    web.every((s) => s.cpuMilli === 300),
    '100m declared + 40 rps × 5m',
  );
  const minutes = await readRollups(w.database, w.clusterId, { resolution: '1m', kind: 'pod', name: 'web-1', fromMs: t0 - 60_000, toMs: w.clock.now() });
  assert.deepEqual(
    minutes.map((m) => [m.samples, m.cpuMilliAvg, m.cpuMilliMax]),
    [
      [4, 300, 300],
      [4, 300, 300],
    ],
  );
  const hour = await readRollups(w.database, w.clusterId, { resolution: '1h', kind: 'cluster', fromMs: t0 - 3_600_000, toMs: w.clock.now() });
  assert.equal(hour.length, 1);
  assert.equal(hour[0].samples, 8);
  assert.equal(hour[0].cpuMilliAvg, 300 + 100 + 60);

  // 20 minutes later only the last 15 minutes of raw samples remain.
  for (let i = 0; i < 80; i++) {
    w.clock.advance(15_000);
    await w.run(metricsController);
  }
  const kept = await readSamples(w.database, w.clusterId, { kind: 'node' });
  assert.ok(kept.length <= 61 && kept.length >= 60, `kept ${kept.length}`);
});

test('metrics.k8s.io: NodeMetrics and PodMetrics from the newest scrape, labels and selectors, absent objects', async () => {
  const w = await cluster();
  const api = createMetricsApi(w.store);
  assert.deepEqual(await api.list(w.clusterId, 'pods', {}), [], 'before the first scrape');
  await w.run(metricsController);
  const nodes = await api.list(w.clusterId, 'nodes', {});
  assert.equal(nodes.length, 1);
  assert.deepEqual(nodes[0].metadata.labels, { pool: 'a' });
  assert.equal(nodes[0].window, '15s');
  assert.deepEqual(nodes[0].usage, { cpu: `${(100 + 100 + 60) * 1e6}n`, memory: `${((128 + 400) * MiB) / 1024}Ki` });
  const pods = await api.list(w.clusterId, 'pods', { namespace: 'default', labelSelector: 'app in (web)' });
  assert.deepEqual(
    pods.map((p) => p.metadata.name),
    ['web-1'],
  );
  assert.deepEqual(pods[0].containers, [{ name: 'app', usage: { cpu: '100000000n', memory: '65536Ki' } }]);
  assert.equal((await api.get(w.clusterId, 'pods', 'default', 'db-1'))?.kind, 'PodMetrics');
  assert.equal(await api.get(w.clusterId, 'pods', 'default', 'nope'), undefined);
  assert.equal((await api.get(w.clusterId, 'nodes', '', 'n1'))?.timestamp, new Date(w.clock.now()).toISOString().replace('.000Z', 'Z'));
  // A pod deleted after the scrape is gone from the API.
  await w.store.delete(w.clusterId, 'pods', 'default', 'db-1');
  assert.deepEqual(
    (await api.list(w.clusterId, 'pods', {})).map((p) => p.metadata.name),
    ['web-1'],
  );
  assert.equal((await latestSamples(w.database, w.clusterId, 'pod')).length, 2);
});
