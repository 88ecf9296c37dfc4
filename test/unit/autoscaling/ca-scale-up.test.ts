import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot, computePodInfo } from '../../../src/scheduler/index.ts';
import { notTriggeredMessage, planScaleUp, triggeredMessage } from '../../../src/autoscaling/cluster-autoscaler/scale-up.ts';
import { chooseOption, wasteScore } from '../../../src/autoscaling/cluster-autoscaler/expanders.ts';
import { expanderChain } from '../../../src/autoscaling/cluster-autoscaler/settings.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { groups, node, pod, pool } from './ca-fixtures.ts';

const first = () => 0;

function plan(
  nodes: KubeObject[],
  pods: KubeObject[],
  pools: ReturnType<typeof pool>[],
  o: { upcoming?: Record<string, number>; expander?: string; room?: number; daemonSets?: KubeObject[] } = {},
) {
  const snapshot = buildSnapshot({ nodes, pods });
  const pending = pods.filter((p) => !p.spec.nodeName).map((p) => computePodInfo(p));
  return planScaleUp({
    snapshot,
    pending,
    groups: groups(pools, o.daemonSets),
    upcoming: new Map(Object.entries(o.upcoming ?? {})),
    clusterRoom: o.room ?? Infinity,
    expanders: expanderChain(o.expander ?? 'least-waste'),
    random: first,
  });
}

test('five 500m pods on a full m5.large cluster: bin-packing asks for 2 more nodes (3 pods fit each)', () => {
  const p = pool('default');
  const n0 = node(p, 0);
  const filler = pod('filler', { cpu: '1900m', node: n0.metadata.name });
  const pending = Array.from({ length: 5 }, (_, i) => pod(`web-${i}`, { cpu: '500m' }));
  const r = plan([n0], [filler, ...pending], [p]);
  assert.ok(r.decision);
  assert.deepEqual([r.decision.group.name, r.decision.from, r.decision.to, r.decision.pods.length], ['default', 1, 3, 5]);
  assert.equal(triggeredMessage(r.decision), 'pod triggered scale-up: [{default 1->3 (max: 5)}]');
  assert.ok(r.pods.every((v) => v.outcome === 'triggered-scale-up'));
});

test('pods that fit nodes still booting trigger nothing more', () => {
  const p = pool('default', { count: 3 });
  const n0 = node(p, 0);
  const filler = pod('filler', { cpu: '1900m', node: n0.metadata.name });
  const pending = Array.from({ length: 5 }, (_, i) => pod(`web-${i}`, { cpu: '500m' }));
  const r = plan([n0], [filler, ...pending], [p], { upcoming: { default: 2 } });
  assert.equal(r.decision, undefined);
  assert.ok(r.pods.every((v) => v.outcome === 'fits-upcoming-node'));
});

test('a pool at its max and a pod no template fits explain themselves per group', () => {
  const full = pool('default', { count: 5, maxCount: 5 });
  const big = pool('big', { instanceType: 'm5.xlarge', maxCount: 3 });
  const huge = pod('huge', { cpu: '6' });
  const r = plan([], [huge], [full, big]);
  assert.equal(r.decision, undefined);
  assert.deepEqual(r.pods[0].groups, { default: 'max node group size reached', big: 'Insufficient cpu' });
  assert.equal(notTriggeredMessage(r.pods[0]), "pod didn't trigger scale-up: 1 Insufficient cpu, 1 max node group size reached");
});

test('a nodeSelector sends the scale-up to the pool whose template carries the label', () => {
  const plain = pool('default');
  const ssd = pool('ssd', { labels: JSON.stringify({ disk: 'ssd' }) });
  const p = pod('db-0', { cpu: '500m', nodeSelector: { disk: 'ssd' } });
  const r = plan([], [p], [plain, ssd]);
  assert.equal(r.decision?.group.name, 'ssd');
  assert.equal(r.options.length, 1);
});

test('DaemonSet pods take room on the template node', () => {
  const p = pool('default', { count: 0, minCount: 0 });
  const ds: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system', uid: 'ds-1' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent', resources: { requests: { cpu: '1' } } }] } },
    },
  };
  const pending = Array.from({ length: 3 }, (_, i) => pod(`web-${i}`, { cpu: '500m' }));
  // 1930m allocatable − 1000m for the agent leaves room for one 500m pod per node.
  assert.equal(plan([], pending, [p], { daemonSets: [ds] }).decision?.to, 3);
  assert.equal(plan([], pending, [p]).decision?.to, 1);
});

test('the cluster-wide room caps the estimate', () => {
  const p = pool('default', { count: 0, minCount: 0, maxCount: 10 });
  const pending = Array.from({ length: 9 }, (_, i) => pod(`web-${i}`, { cpu: '500m' }));
  const r = plan([], pending, [p], { room: 2 });
  assert.equal(r.decision?.to, 2);
  assert.equal(r.pods.filter((v) => v.outcome === 'triggered-scale-up').length, 6);
  assert.equal(r.pods.find((v) => v.outcome === 'no-scale-up')?.groups.default, 'max node group size reached');
});

test('expanders: least-waste, least-nodes, most-pods and price pick as documented', () => {
  const small = pool('small');
  const large = pool('large', { instanceType: 'm5.2xlarge' });
  const pending = Array.from({ length: 4 }, (_, i) => pod(`web-${i}`, { cpu: '500m', memory: '1Gi' }));
  const byLeastWaste = plan([], pending, [small, large], { expander: 'least-waste' });
  // small: 2 nodes for 4 pods; large: 1 node, mostly idle.
  assert.deepEqual(
    byLeastWaste.options.map((o) => [o.group, o.nodeCount]),
    [
      ['small', 2],
      ['large', 1],
    ],
  );
  assert.equal(byLeastWaste.decision?.group.name, 'small');
  assert.equal(plan([], pending, [small, large], { expander: 'least-nodes' }).decision?.group.name, 'large');
  assert.equal(plan([], pending, [small, large], { expander: 'price' }).decision?.group.name, 'small');
  // most-pods ties (4 and 4), then a random pick: with random() = 0.99 the second option.
  const tie = planScaleUp({
    snapshot: buildSnapshot({ nodes: [], pods: pending }),
    pending: pending.map((p) => computePodInfo(p)),
    groups: groups([small, large]),
    upcoming: new Map(),
    clusterRoom: Infinity,
    expanders: expanderChain('most-pods'),
    random: () => 0.99,
  });
  assert.equal(tie.decision?.group.name, 'large');
});

test('least-waste score is the unused CPU fraction plus the unused memory fraction', () => {
  const g = groups([pool('small')])[0];
  const pods = [computePodInfo(pod('a', { cpu: '965m', memory: '1Gi' }))];
  const alloc = { cpu: 1930, mem: (8 * 1024 - 1.8 * 1024 - 100) * 1024 * 1024 };
  const expected = (alloc.cpu - 965) / alloc.cpu + (alloc.mem - 2 ** 30) / alloc.mem;
  assert.ok(Math.abs(wasteScore({ group: g, nodeCount: 1, pods }) - expected) < 1e-3);
  assert.equal(chooseOption([], ['least-waste'], 0), undefined);
});
