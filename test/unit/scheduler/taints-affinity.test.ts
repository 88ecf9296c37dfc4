import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeAffinityFilter, nodeAffinityScore } from '../../../src/scheduler/plugins/node-affinity.ts';
import { taintTolerationFilter, taintTolerationScore } from '../../../src/scheduler/plugins/taint-toleration.ts';
import { node, pod, runFilter, runScore, snap } from './fixtures.ts';

const cp = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

test('TaintToleration filter: names the first untolerated NoSchedule/NoExecute taint; PreferNoSchedule never filters', () => {
  const s = snap([
    node('cp', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }, cp] }),
    node('gpu', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }),
    node('soft', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }),
  ]);
  assert.deepEqual(runFilter(taintTolerationFilter, pod('p'), 'cp', s), {
    code: 'UnschedulableAndUnresolvable',
    reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
  });
  assert.deepEqual((runFilter(taintTolerationFilter, pod('p'), 'gpu', s) as { reasons: string[] }).reasons, ['node(s) had untolerated taint {dedicated: gpu}']);
  assert.equal(runFilter(taintTolerationFilter, pod('p'), 'soft', s), null);
  const tolerant = pod('t', { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoExecute' }] } });
  assert.equal(runFilter(taintTolerationFilter, tolerant, 'gpu', s), null);
});

test('TaintToleration score: fewer untolerated PreferNoSchedule taints is better (reverse-normalised)', () => {
  const soft = (k: string) => ({ key: k, effect: 'PreferNoSchedule' });
  const s = snap([node('none'), node('one', { taints: [soft('a')] }), node('two', { taints: [soft('a'), soft('b')] })]);
  const r = runScore(taintTolerationScore, pod('p'), s);
  assert.deepEqual(r.raw, { none: 0, one: 1, two: 2 });
  assert.deepEqual(r.normalized, { none: 100, one: 50, two: 0 });
  // Tolerating "a" (any effect) leaves only "b" on node two.
  const t = runScore(taintTolerationScore, pod('t', { spec: { tolerations: [{ key: 'a', operator: 'Exists' }] } }), s);
  assert.deepEqual(t.normalized, { none: 100, one: 100, two: 0 });
  assert.deepEqual(runScore(taintTolerationScore, pod('p'), snap([node('x'), node('y')])).normalized, { x: 100, y: 100 });
});

test('NodeAffinity filter: nodeSelector pairs AND the ORed required terms', () => {
  const s = snap([
    node('ssd-a', { labels: { disk: 'ssd', zone: 'a' } }),
    node('ssd-b', { labels: { disk: 'ssd', zone: 'b' } }),
    node('hdd', { labels: { disk: 'hdd', zone: 'a' } }),
  ]);
  const p = pod('p', {
    spec: {
      nodeSelector: { disk: 'ssd' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
              { matchExpressions: [{ key: 'zone', operator: 'In', values: ['c'] }] },
            ],
          },
        },
      },
    },
  });
  assert.equal(runFilter(nodeAffinityFilter, p, 'ssd-a', s), null);
  const miss = { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"] };
  assert.deepEqual(runFilter(nodeAffinityFilter, p, 'ssd-b', s), miss);
  assert.deepEqual(runFilter(nodeAffinityFilter, p, 'hdd', s), miss);
  assert.equal(runFilter(nodeAffinityFilter, pod('free'), 'hdd', s), 'skip');
});

test('NodeAffinity score: Σ weights of matching preferred terms, scaled so the best gets 100', () => {
  const s = snap([node('a', { labels: { zone: 'a', disk: 'ssd' } }), node('b', { labels: { zone: 'b', disk: 'ssd' } }), node('c', { labels: { zone: 'c' } })]);
  const p = pod('p', {
    spec: {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 80, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
            { weight: 20, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
          ],
        },
      },
    },
  });
  const r = runScore(nodeAffinityScore, p, s);
  assert.deepEqual(r.raw, { a: 100, b: 20, c: 0 });
  assert.deepEqual(r.normalized, { a: 100, b: 20, c: 0 });
  assert.equal(runScore(nodeAffinityScore, pod('q'), s).skipped, true);
});
