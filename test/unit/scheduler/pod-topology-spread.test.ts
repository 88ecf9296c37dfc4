import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podTopologySpreadFilter } from '../../../src/scheduler/plugins/pod-topology-spread-filter.ts';
import { podTopologySpreadScore } from '../../../src/scheduler/plugins/pod-topology-spread-score.ts';
import { node, pod, runFilter, runScore, snap } from './fixtures.ts';

const web = (name: string, nodeName?: string) => pod(name, { labels: { app: 'web' }, nodeName });
const zones = () => [node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z1' } }), node('c', { labels: { zone: 'z2' } })];
const spread = (extra: Record<string, unknown> = {}) =>
  pod('new', {
    labels: { app: 'web' },
    spec: {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...extra },
      ],
    },
  });
const SKEW = { code: 'Unschedulable', reasons: ["node(s) didn't match pod topology spread constraints"] };

test('DoNotSchedule: count(domain) + self − globalMin must stay ≤ maxSkew', () => {
  // z1 holds 2 matching pods, z2 holds 1: global minimum 1.
  const s = snap(zones(), [web('w1', 'a'), web('w2', 'a'), web('w3', 'c')]);
  assert.deepEqual(runFilter(podTopologySpreadFilter, spread(), 'a', s), SKEW); // 2 + 1 − 1 = 2 > 1
  assert.deepEqual(runFilter(podTopologySpreadFilter, spread(), 'b', s), SKEW);
  assert.equal(runFilter(podTopologySpreadFilter, spread(), 'c', s), null); // 1 + 1 − 1 = 1
});

test('minDomains: with fewer eligible domains than minDomains the global minimum is 0', () => {
  const s = snap(zones(), [web('w1', 'a'), web('w3', 'c')]);
  assert.equal(runFilter(podTopologySpreadFilter, spread(), 'c', s), null); // 1 + 1 − 1
  assert.deepEqual(runFilter(podTopologySpreadFilter, spread({ minDomains: 3 }), 'c', s), SKEW); // 1 + 1 − 0
});

test('a node without the topology key fails as unresolvable', () => {
  const s = snap([...zones(), node('bare')], []);
  assert.deepEqual(runFilter(podTopologySpreadFilter, spread(), 'bare', s), {
    code: 'UnschedulableAndUnresolvable',
    reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"],
  });
});

test('nodeAffinityPolicy Honor (default) counts only domains of nodes the pod may use', () => {
  const s = snap(zones(), [web('w1', 'a'), web('w2', 'b'), web('w3', 'c')]);
  const onlyZ1 = (policy?: string) => {
    const p = spread(policy ? { nodeAffinityPolicy: policy } : {});
    p.spec.nodeSelector = { zone: 'z1' };
    return p;
  };
  // Honor: only z1 counts (2 pods, min 2): 2 + 1 − 2 = 1 fits.
  assert.equal(runFilter(podTopologySpreadFilter, onlyZ1(), 'a', s), null);
  // Ignore: z2 (1 pod) sets the minimum: 2 + 1 − 1 = 2 > 1.
  assert.deepEqual(runFilter(podTopologySpreadFilter, onlyZ1('Ignore'), 'a', s), SKEW);
});

test('terminating pods and other namespaces are not counted; pods without constraints skip the filter', () => {
  const s = snap(zones(), [
    web('w1', 'a'),
    pod('gone', { labels: { app: 'web' }, nodeName: 'c', deleting: true }),
    pod('x', { labels: { app: 'web' }, nodeName: 'c', ns: 'other' }),
  ]);
  assert.deepEqual(runFilter(podTopologySpreadFilter, spread(), 'a', s), SKEW); // 1 + 1 − 0
  assert.equal(runFilter(podTopologySpreadFilter, spread(), 'c', s), null);
  assert.equal(runFilter(podTopologySpreadFilter, web('plain'), 'a', s), 'skip');
});

test('ScheduleAnyway score: count × ln(domains + 2) + maxSkew − 1, fewer matching pods scores higher', () => {
  const s = snap(zones(), [web('w1', 'a'), web('w2', 'a'), web('w3', 'c')]);
  const p = pod('new', {
    labels: { app: 'web' },
    spec: {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } },
      ],
    },
  });
  const r = runScore(podTopologySpreadScore, p, s);
  // weight ln(3 + 2) = 1.609: a 2 × 1.609 → 3, b 0, c 1.609 → 2.
  assert.deepEqual(r.raw, { a: 3, b: 0, c: 2 });
  // 100 × (max + min − raw) / max with max 3, min 0.
  assert.deepEqual(r.normalized, { a: 0, b: 100, c: 33 });
});

test('system default spreading applies to pods selected by a ReplicaSet (hostname maxSkew 3, zone maxSkew 5)', () => {
  const nodes = zones().map((n) => {
    n.metadata.labels!['topology.kubernetes.io/zone'] = n.metadata.labels!.zone;
    return n;
  });
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } } },
  };
  const s = snap(nodes, [web('w1', 'a'), web('w2', 'a'), web('w3', 'c')], { replicaSets: [rs] });
  const r = runScore(podTopologySpreadScore, web('new'), s);
  // hostname: ln 5 = 1.609, zone: ln 4 = 1.386.
  // a: 2×1.609 + 2 + 2×1.386 + 4 = 11.99 → 12; b: 2 + 6.77 → 9; c: 1.609 + 2 + 1.386 + 4 → 9.
  assert.deepEqual(r.raw, { a: 12, b: 9, c: 9 });
  assert.deepEqual(r.normalized, { a: 75, b: 100, c: 100 });
  assert.equal(runScore(podTopologySpreadScore, pod('lonely', { labels: { app: 'x' } }), s).skipped, true);
});

test('cached zone counts follow the pods a pass binds and match a freshly built snapshot', async () => {
  const { assumePod } = await import('../../../src/scheduler/snapshot.ts');
  const { computePodInfo } = await import('../../../src/scheduler/pod-info.ts');
  const zoned = () => ['a', 'b', 'c', 'd'].map((n, i) => node(n, { labels: { 'topology.kubernetes.io/zone': `z${i % 2}` } }));
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } } },
  };
  const live = snap(zoned(), [], { replicaSets: [rs] });
  runScore(podTopologySpreadScore, web('warm'), live); // fills the cache
  const bound = [web('w1', 'a'), web('w2', 'a'), web('w3', 'b'), pod('other', { labels: { app: 'db' }, nodeName: 'c' })];
  for (const p of bound) assumePod(live, computePodInfo(p), p.spec.nodeName);
  const fresh = snap(zoned(), bound, { replicaSets: [rs] });
  assert.deepEqual(runScore(podTopologySpreadScore, web('next'), live), runScore(podTopologySpreadScore, web('next'), fresh));
  // hostname ln 6 = 1.792, zone ln 4 = 1.386; z0 (a, c) holds 2 web pods, z1 (b, d) holds 1.
  // a: 2×1.792 + 2 + 2×1.386 + 4 → 12; b: 1.792 + 2 + 1.386 + 4 → 9; c: 2 + 6.77 → 9; d: 2 + 5.39 → 7.
  assert.deepEqual(runScore(podTopologySpreadScore, web('next'), live).raw, { a: 12, b: 9, c: 9, d: 7 });
});
