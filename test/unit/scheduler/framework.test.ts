import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decisionSummary, explain, scheduledMessage } from '../../../src/scheduler/explain.ts';
import { fitErrorMessage } from '../../../src/scheduler/fit-error.ts';
import { filterNode, numFeasibleNodesToFind, scheduleOne, selectHost } from '../../../src/scheduler/framework.ts';
import { defaultNormalize, unresolvable, unschedulable } from '../../../src/scheduler/plugin.ts';
import { defaultProfile } from '../../../src/scheduler/profile.ts';
import { nodeInfoFor } from '../../../src/scheduler/snapshot.ts';
import { lastOfTies, node, pod, snap } from './fixtures.ts';

test('default weights: TaintToleration 3, NodeAffinity/PodTopologySpread/InterPodAffinity 2, the rest 1 — 1200 at best', () => {
  const weights = Object.fromEntries(defaultProfile.scores.map((s) => [s.plugin.name, s.weight]));
  assert.deepEqual(weights, {
    TaintToleration: 3,
    NodeAffinity: 2,
    NodeResourcesFit: 1,
    PodTopologySpread: 2,
    InterPodAffinity: 2,
    NodeResourcesBalancedAllocation: 1,
    ImageLocality: 1,
  });
  assert.equal(
    defaultProfile.scores.reduce((s, p) => s + p.weight * 100, 0),
    1200,
  );
});

test('default normalisation scales the best raw score to 100 with integer division, or reverses it', () => {
  const a = [0, 1, 3];
  defaultNormalize(a, false);
  assert.deepEqual(a, [0, 33, 100]);
  const b = [0, 1, 3];
  defaultNormalize(b, true);
  assert.deepEqual(b, [100, 67, 0]);
  const zeros = [0, 0];
  defaultNormalize(zeros, true);
  assert.deepEqual(zeros, [100, 100]);
});

test('feasible nodes to find: all below 100 nodes, else max(100, n × max(5, 50 − n/125) %)', () => {
  assert.equal(numFeasibleNodesToFind(50), 50);
  assert.equal(numFeasibleNodesToFind(150), 100);
  assert.equal(numFeasibleNodesToFind(1000), 420);
  assert.equal(numFeasibleNodesToFind(5000), 500);
  assert.equal(numFeasibleNodesToFind(20000), 1000);
  assert.equal(numFeasibleNodesToFind(1000, 100), 1000);
  assert.equal(numFeasibleNodesToFind(1000, 30), 300);
});

test('ties are broken uniformly among the best nodes only', () => {
  assert.equal(
    selectHost([5, 9, 9, 3], () => 0),
    2,
  );
  assert.equal(
    selectHost([5, 9, 9, 3], () => 0.99),
    1,
  );
  const seen = new Set<number>();
  let x = 0;
  for (let i = 0; i < 50; i++) seen.add(selectHost([9, 1, 9, 9], () => (x = (x * 16807 + 7) % 2147483647) / 2147483647));
  assert.deepEqual([...seen].sort(), [0, 2, 3]);
});

test('scoring: the total is Σ normalised × weight and the highest total wins', () => {
  const s = snap([
    node('small', { cpu: '2', memory: '4Gi' }),
    node('large', { cpu: '8', memory: '16Gi' }),
    node('soft', { cpu: '8', memory: '16Gi', taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }),
  ]);
  const r = scheduleOne(pod('p', { cpu: '1', memory: '2Gi' }), s, { random: lastOfTies });
  assert.equal(r.node, 'large');
  const i = r.feasible.findIndex((n) => n.name === 'large');
  const total = r.scores.reduce((sum, p) => sum + p.normalized[i] * p.weight, 0);
  assert.equal(r.totals[i], total);
  // large: TaintToleration 100×3 + LeastAllocated 87 + Balanced 100 = 487.
  assert.equal(r.totals[i], 487);
  const soft = r.feasible.findIndex((n) => n.name === 'soft');
  assert.equal(r.totals[soft], 187, 'the PreferNoSchedule taint costs 300');
});

test('one feasible node is chosen without scoring', () => {
  const s = snap([node('a', { cpu: '1' }), node('b', { cpu: '4' })]);
  const r = scheduleOne(pod('p', { cpu: '2' }), s);
  assert.equal(r.node, 'b');
  assert.equal(r.scoringSkipped, 'only one node is feasible');
  assert.deepEqual(r.scores, []);
});

test('large clusters stop filtering after enough feasible nodes and rotate the start index', () => {
  const nodes = Array.from({ length: 200 }, (_, i) => node(`n${String(i).padStart(3, '0')}`));
  const s = snap(nodes);
  const r1 = scheduleOne(pod('p'), s, { startIndex: 0 });
  assert.equal(r1.evaluated.length, 100);
  assert.equal(r1.nextStartIndex, 100);
  const r2 = scheduleOne(pod('q'), s, { startIndex: r1.nextStartIndex });
  assert.equal(r2.evaluated[0], 'n100');
});

test('FitError: "0/N nodes are available:" with the reason histogram sorted as strings', () => {
  const statuses = new Map();
  for (let i = 0; i < 10; i++) statuses.set(`c${i}`, unschedulable('Insufficient cpu'));
  statuses.set('t1', unresolvable('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'));
  statuses.set('t2', unresolvable('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'));
  statuses.set('m', unschedulable('Insufficient cpu', 'Insufficient memory'));
  const msg = fitErrorMessage({ numAllNodes: 13, statuses }, 'preemption: 0/13 nodes are available: 13 No preemption victims found for incoming pod.');
  assert.equal(
    msg,
    '0/13 nodes are available: 1 Insufficient memory, 11 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/13 nodes are available: 13 No preemption victims found for incoming pod.',
  );
  assert.equal(
    fitErrorMessage({ numAllNodes: 3, statuses: new Map(), preFilterStatus: unresolvable('pod has unbound immediate PersistentVolumeClaims') }),
    '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.',
  );
});

test('pods pinned to one node (DaemonSet style) report the other nodes as not satisfying NodeAffinity', () => {
  const s = snap([node('a', { cpu: '1' }), node('b'), node('c')]);
  const p = pod('ds', {
    cpu: '2',
    spec: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }] },
        },
      },
    },
  });
  const r = scheduleOne(p, s);
  assert.equal(r.node, undefined);
  assert.deepEqual(r.evaluated, ['a']);
  assert.equal(fitErrorMessage(r), "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
});

test('a nominated pod goes straight to its nominated node when it fits there', () => {
  const s = snap([node('a'), node('b', { cpu: '64', memory: '256Gi' })]);
  const p = pod('p', { cpu: '1' });
  p.status.nominatedNodeName = 'a';
  const r = scheduleOne(p, s);
  assert.equal(r.node, 'a');
  assert.equal(r.scoringSkipped, 'the nominated node fits');
});

test('filterNode checks a template node outside the snapshot and lists each filter verdict', () => {
  const s = snap([node('a', { cpu: '1' })]);
  const template = nodeInfoFor(node('template', { cpu: '8', taints: [{ key: 'pool', value: 'gpu', effect: 'NoSchedule' }] }));
  const fits = filterNode(pod('p', { cpu: '2', spec: { tolerations: [{ key: 'pool', operator: 'Exists' }] } }), template, s);
  assert.equal(fits.passed, true);
  assert.equal(fits.verdicts.find((v) => v.plugin === 'NodeResourcesFit')?.verdict, 'passed');
  const tainted = filterNode(pod('q', { cpu: '2' }), template, s);
  assert.equal(tainted.passed, false);
  assert.deepEqual(tainted.verdicts.at(-1), { plugin: 'TaintToleration', verdict: 'node(s) had untolerated taint {pool: gpu}' });
});

test("the explanation lists each node's filter verdicts and scores, selected node first, capped in size", () => {
  const s = snap([node('a', { cpu: '1' }), node('b'), node('c'), node('d', { taints: [{ key: 'k', effect: 'NoSchedule' }] })]);
  const r = scheduleOne(pod('p', { cpu: '2' }), s, { random: lastOfTies });
  const rec = explain(r, { outcome: 'Scheduled', attempts: 1, lastAttempt: '2026-01-01T00:00:00Z' }, { maxNodes: 3 });
  assert.equal(rec.perNode[0].node, r.node);
  assert.equal(rec.perNode[0].selected, true);
  assert.equal(rec.perNode[0].total, rec.perNode[0].scores && Object.values(rec.perNode[0].scores).reduce((s, x) => s + x.weighted, 0));
  assert.equal(rec.nodes.shown, 3);
  assert.deepEqual(rec.nodes, { total: 4, evaluated: 4, feasible: 2, shown: 3 });
  const rejected = rec.perNode.find((n) => !n.scores)!;
  assert.ok(['a', 'd'].includes(rejected.node));
  assert.equal(explain(r, { outcome: 'Scheduled', attempts: 1, lastAttempt: '' }).perNode.length, 4);
  assert.match(scheduledMessage(r), /^Successfully assigned default\/p to [bc]$/);
  assert.match(decisionSummary(r), /^score \d+\/1200: TaintToleration 100×3, .*; 2\/4 nodes feasible$/);
});
