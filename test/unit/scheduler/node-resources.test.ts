import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balancedAllocation } from '../../../src/scheduler/plugins/balanced-allocation.ts';
import { nodeResourcesFitFilter, nodeResourcesFitScore } from '../../../src/scheduler/plugins/node-resources-fit.ts';
import { node, pod, runFilter, runScore, snap } from './fixtures.ts';

test('Fit: passes when requests plus the pods already there fit allocatable', () => {
  const s = snap([node('n', { cpu: '2', memory: '4Gi' })], [pod('old', { cpu: '1', memory: '1Gi', nodeName: 'n' })]);
  assert.equal(runFilter(nodeResourcesFitFilter, pod('p', { cpu: '1', memory: '3Gi' }), 'n', s), null);
});

test('Fit: reports every insufficient resource, pods first', () => {
  const s = snap([node('n', { cpu: '2', memory: '4Gi', pods: 1 })], [pod('old', { cpu: '1500m', memory: '1Gi', nodeName: 'n' })]);
  const st = runFilter(nodeResourcesFitFilter, pod('p', { cpu: '1', memory: '4Gi' }), 'n', s);
  assert.deepEqual(st, { code: 'Unschedulable', reasons: ['Too many pods', 'Insufficient cpu', 'Insufficient memory'] });
});

test('Fit: init containers, overhead, ephemeral storage and extended resources count', () => {
  const s = snap([node('n', { cpu: '2', extra: { 'ephemeral-storage': '10Gi', 'nvidia.com/gpu': '1' } })]);
  const initHeavy = pod('p', { spec: { initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '1900m' } } }], overhead: { cpu: '200m' } } });
  assert.deepEqual(runFilter(nodeResourcesFitFilter, initHeavy, 'n', s), { code: 'Unschedulable', reasons: ['Insufficient cpu'] });
  const gpus = pod('g', { spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { 'nvidia.com/gpu': '2', 'ephemeral-storage': '20Gi' } } }] } });
  assert.deepEqual(runFilter(nodeResourcesFitFilter, gpus, 'n', s), {
    code: 'Unschedulable',
    reasons: ['Insufficient ephemeral-storage', 'Insufficient nvidia.com/gpu'],
  });
});

test('Fit: a pod without requests only needs a pod slot (no 100m/200Mi defaults for filtering)', () => {
  const s = snap([node('n', { cpu: '1' })], [pod('old', { cpu: '1', nodeName: 'n' })]);
  assert.equal(runFilter(nodeResourcesFitFilter, pod('p'), 'n', s), null);
});

test('LeastAllocated: (allocatable − requested) × 100 / allocatable, averaged over cpu and memory', () => {
  const s = snap(
    [node('busy', { cpu: '4', memory: '8Gi' }), node('idle', { cpu: '4', memory: '8Gi' })],
    [pod('old', { cpu: '1', memory: '2Gi', nodeName: 'busy' })],
  );
  const r = runScore(nodeResourcesFitScore, pod('p', { cpu: '1', memory: '2Gi' }), s);
  // busy: cpu (4000−2000)/4000 → 50, memory (8−4)/8 → 50; idle: 75 and 75.
  assert.deepEqual(r.raw, { busy: 50, idle: 75 });
  assert.deepEqual(r.normalized, r.raw);
});

test('LeastAllocated: containers without requests count as 100m / 200Mi', () => {
  const s = snap([node('n', { cpu: '4', memory: '8Gi' })]);
  // cpu (4000−100)×100/4000 = 97.5 → 97; memory (8192−200)×100/8192 = 97.5 → 97.
  assert.deepEqual(runScore(nodeResourcesFitScore, pod('p'), s).raw, { n: 97 });
});

test('BalancedAllocation: 100 × (1 − |f_cpu − f_mem| / 2) on real requests; BestEffort pods are skipped', () => {
  const s = snap([node('n', { cpu: '4', memory: '8Gi' })]);
  // fractions 0.25 and 0.125 → std 0.0625 → 93.75 → 93.
  assert.deepEqual(runScore(balancedAllocation, pod('p', { cpu: '1', memory: '1Gi' }), s).raw, { n: 93 });
  assert.equal(runScore(balancedAllocation, pod('be'), s).skipped, true);
  const over = snap([node('n', { cpu: '1', memory: '8Gi' })]);
  // cpu fraction capped at 1: |1 − 0.5| / 2 = 0.25 → 75.
  assert.deepEqual(runScore(balancedAllocation, pod('p', { cpu: '2', memory: '4Gi' }), over).raw, { n: 75 });
});
