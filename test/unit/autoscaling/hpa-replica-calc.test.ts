import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averageValueReplicas, groupPods, podRequestsFor, ReplicaCalcError, resourceReplicas } from '../../../src/autoscaling/hpa/replica-calc.ts';
import { metrics, pod, T0 } from './fixtures.ts';

const cpuPods = (n: number, o = {}) => Array.from({ length: n }, (_, i) => pod(`web-${i}`, { cpu: '500m', ...o }));
const calc = (pods: ReturnType<typeof cpuPods>, m: Record<string, number>, target: number, current = pods.length) =>
  resourceReplicas({
    currentReplicas: current,
    pods,
    metrics: metrics(m),
    resource: 'cpu',
    now: T0,
    targetUtilization: target,
    requests: podRequestsFor(pods, 'cpu'),
  });

test('docs: current 200m against a 100m target doubles the replicas; 50m halves them', () => {
  const pods = cpuPods(4);
  const up = averageValueReplicas({
    currentReplicas: 4,
    pods,
    metrics: metrics({ 'web-0': 200, 'web-1': 200, 'web-2': 200, 'web-3': 200 }),
    resource: 'cpu',
    now: T0,
    targetAverage: 100,
  });
  assert.equal(up.replicas, 8);
  const down = averageValueReplicas({
    currentReplicas: 4,
    pods,
    metrics: metrics({ 'web-0': 50, 'web-1': 50, 'web-2': 50, 'web-3': 50 }),
    resource: 'cpu',
    now: T0,
    targetAverage: 100,
  });
  assert.equal(down.replicas, 2);
});

test('docs walkthrough: one php-apache pod at 305% of its request against 50% wants ceil(6.1) = 7', () => {
  const pods = [pod('php-apache-0', { cpu: '200m' })];
  const r = resourceReplicas({
    currentReplicas: 1,
    pods,
    metrics: metrics({ 'php-apache-0': 610 }),
    resource: 'cpu',
    now: T0,
    targetUtilization: 50,
    requests: podRequestsFor(pods, 'cpu'),
  });
  assert.equal(r.utilization, 305);
  assert.equal(r.replicas, 7);
  assert.equal(r.rawAverage, 610);
});

test('a ratio within the 0.1 tolerance keeps the current count; just outside it scales', () => {
  const pods = cpuPods(4);
  // 275m of 500m = 55% against 50%: ratio 1.1, inside the tolerance.
  assert.equal(calc(pods, { 'web-0': 275, 'web-1': 275, 'web-2': 275, 'web-3': 275 }, 50).replicas, 4);
  // 280m = 56%: ratio 1.12 → ceil(4.48) = 5.
  assert.equal(calc(pods, { 'web-0': 280, 'web-1': 280, 'web-2': 280, 'web-3': 280 }, 50).replicas, 5);
  // 225m = 45%: ratio 0.9, inside the tolerance; 100m = 20%: ratio 0.4 → ceil(1.6) = 2.
  assert.equal(calc(pods, { 'web-0': 225, 'web-1': 225, 'web-2': 225, 'web-3': 225 }, 50).replicas, 4);
  assert.equal(calc(pods, { 'web-0': 100, 'web-1': 100, 'web-2': 100, 'web-3': 100 }, 50).replicas, 2);
});

test('utilization is truncated to a whole percent before the ratio', () => {
  const pods = cpuPods(3);
  // 1,499m of 1,500m requested = 99.93% → 99%.
  const r = calc(pods, { 'web-0': 500, 'web-1': 500, 'web-2': 499 }, 50);
  assert.equal(r.utilization, 99);
  assert.equal(r.replicas, Math.ceil((99 / 50) * 3));
});

test('missing metrics on a scale-up count as 0; on a scale-down as 100% of the request', () => {
  const pods = cpuPods(4);
  // 3 pods at 100% (ratio 2 against 50%), one without metrics: recomputed 75% → ratio 1.5 → ceil(1.5 × 4) = 6.
  assert.equal(calc(pods, { 'web-0': 500, 'web-1': 500, 'web-2': 500 }, 50).replicas, 6);
  // 3 pods at 10% (ratio 0.2), one missing assumed at 100%: (10+10+10+100)/4 = 32.5%, truncated to 32% → ratio 0.64 → ceil(2.56) = 3.
  assert.equal(calc(pods, { 'web-0': 50, 'web-1': 50, 'web-2': 50 }, 50).replicas, 3);
});

test('a missing pod that flips the direction keeps the current count', () => {
  const pods = cpuPods(2);
  // One pod at 60% of a 50% target (ratio 1.2 → up), the missing one at 0 → 30% → ratio 0.6: direction flips.
  assert.equal(calc(pods, { 'web-0': 300 }, 50).replicas, 2);
});

test('not-ready pods are left out of a scale-down and count as 0 on a scale-up', () => {
  const pods = [...cpuPods(3), pod('web-3', { cpu: '500m', ready: false, startedAgo: 60_000, readyChangedAgo: 60_000 })];
  // Ready pods at 100% (ratio 2): the unready one at 0 → 75% → ratio 1.5 → ceil(1.5 × 4) = 6.
  assert.equal(calc(pods, { 'web-0': 500, 'web-1': 500, 'web-2': 500, 'web-3': 500 }, 50).replicas, 6);
  // Ready pods at 20% (ratio 0.4): the unready one is ignored → ceil(0.4 × 3) = 2.
  assert.equal(calc(pods, { 'web-0': 100, 'web-1': 100, 'web-2': 100, 'web-3': 500 }, 50).replicas, 2);
});

test('CPU initialization period: a young pod counts only with a full metric window since it became ready', () => {
  const young = pod('web-0', { cpu: '500m', startedAgo: 60_000, readyChangedAgo: 10_000 });
  // Ready 10 s ago, the sample window is 15 s: the sample predates readiness + window → unready.
  let g = groupPods([young], metrics({ 'web-0': 100 }), 'cpu', T0);
  assert.deepEqual([g.readyCount, [...g.unready]], [0, ['web-0']]);
  const settled = pod('web-0', { cpu: '500m', startedAgo: 60_000, readyChangedAgo: 30_000 });
  g = groupPods([settled], metrics({ 'web-0': 100 }), 'cpu', T0);
  assert.equal(g.readyCount, 1);
  // Memory does not look at readiness.
  g = groupPods([young], metrics({ 'web-0': 100 }), 'memory', T0);
  assert.equal(g.readyCount, 1);
});

test('after initialization only a pod that has never been ready is unready', () => {
  // Not ready now, but it was ready long after start (it flapped): counts as ready for cpu.
  const flapped = pod('web-0', { cpu: '500m', ready: false, startedAgo: 3_600_000, readyChangedAgo: 60_000 });
  assert.equal(groupPods([flapped], metrics({ 'web-0': 1 }), 'cpu', T0).readyCount, 1);
  // Not ready since within 30 s of its start: never been ready.
  const never = pod('web-0', { cpu: '500m', ready: false, startedAgo: 3_600_000, readyChangedAgo: 3_600_000 - 10_000 });
  assert.equal(groupPods([never], metrics({ 'web-0': 1 }), 'cpu', T0).unready.size, 1);
});

test('deleted and failed pods are ignored, pending ones unready', () => {
  const pods = [
    pod('a', { cpu: '1', deleting: true }),
    pod('b', { cpu: '1', phase: 'Failed' }),
    pod('c', { cpu: '1', phase: 'Pending' }),
    pod('d', { cpu: '1' }),
  ];
  const g = groupPods(pods, metrics({ a: 1, b: 1, c: 1, d: 1 }), 'cpu', T0);
  assert.deepEqual([[...g.ignored].sort(), [...g.unready], g.readyCount], [['a', 'b'], ['c'], 1]);
});

test('errors carry the Kubernetes messages', () => {
  assert.throws(() => podRequestsFor([pod('web-0')], 'cpu'), { message: 'missing request for cpu in container app of Pod web-0' });
  assert.throws(() => calc([], {}, 50), ReplicaCalcError);
  const unready = [pod('web-0', { cpu: '1', phase: 'Pending' })];
  assert.throws(() => calc(unready, { 'web-0': 5 }, 50), { message: 'did not receive metrics for targeted pods (pods might be unready)' });
});
