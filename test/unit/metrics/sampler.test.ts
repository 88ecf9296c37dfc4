import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types.ts';
import { sampleCluster } from '../../../src/metrics/sampler.ts';
import { NODE_SYSTEM_USAGE } from '../../../src/kubelet/usage.ts';
import { cpuQuantity, memoryQuantity } from '../../../src/metrics/metrics-api.ts';

const MiB = 1024 * 1024;

function node(name: string, ready = true): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: { podCIDR: '10.244.1.0/24' },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function pod(name: string, nodeName: string, o: { running?: boolean; limitCpu?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', annotations: { 'kates.dev/cpu-usage': '200m', 'kates.dev/memory-usage': '100Mi' } },
    spec: { nodeName, containers: [{ name: 'app', resources: o.limitCpu ? { limits: { cpu: o.limitCpu } } : {} }] },
    status: {
      phase: o.running === false ? 'Pending' : 'Running',
      containerStatuses: [{ name: 'app', state: o.running === false ? { waiting: {} } : { running: {} } }],
    },
  };
}

test('a scrape: declared usage plus traffic per pod and container, nodes add their system daemons', () => {
  const demand = new Map([['default/web-1', { app: { cpuMillis: 300, memoryBytes: 10 * MiB } }]]);
  const samples = sampleCluster(
    [node('n1'), node('n2', false)],
    [pod('web-1', 'n1'), pod('web-2', 'n1', { limitCpu: '250m' }), pod('web-3', 'n1', { running: false })],
    demand,
  );
  const byName = Object.fromEntries(samples.map((s) => [`${s.kind}/${s.name}`, s]));
  assert.deepEqual(Object.keys(byName).sort(), ['node/n1', 'pod/web-1', 'pod/web-2']);
  assert.deepEqual(byName['pod/web-1'].containers, [{ name: 'app', cpuMilli: 500, memoryBytes: 110 * MiB }]);
  assert.equal(byName['pod/web-2'].cpuMilli, 200);
  assert.equal(byName['node/n1'].cpuMilli, 500 + 200 + NODE_SYSTEM_USAGE.cpuMillis);
  assert.equal(byName['node/n1'].memoryBytes, 210 * MiB + NODE_SYSTEM_USAGE.memoryBytes);
  // CPU limits throttle: demand 200m under a 250m limit passes; over a limit it is capped.
  const capped = sampleCluster([node('n1')], [pod('web-2', 'n1', { limitCpu: '150m' })], new Map());
  assert.equal(capped.find((s) => s.kind === 'pod')!.cpuMilli, 150);
});

test('metrics-server quantities: nanocores and KiB', () => {
  assert.equal(cpuQuantity(248.312345), '248312345n');
  assert.equal(memoryQuantity(34560 * 1024), '34560Ki');
});
