import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addCpuSample, addMemorySample, emptyAggregate } from '../../../src/autoscaling/vpa/aggregate.ts';
import { bucketStart, CPU_HISTOGRAM, findBucket, MEMORY_HISTOGRAM } from '../../../src/autoscaling/vpa/histogram.ts';
import { confidence, containerRecommendation, estimate } from '../../../src/autoscaling/vpa/recommend.ts';
import { quantityOf } from '../../../src/kube/admission/vpa/policy.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const MIN = 60_000;
const end = (o: typeof CPU_HISTOGRAM, v: number) => bucketStart(o, findBucket(o, v) + 1);

/** A day of one sample a minute: 0.5 cores and 500 MB. */
function steadyDay() {
  const a = emptyAggregate();
  for (let i = 0; i <= 1440; i++) {
    addCpuSample(a, 0.5, T0 + i * MIN);
    addMemorySample(a, 500e6, T0 + i * MIN);
  }
  return a;
}

test('a steady day: target = P90 × 1.15, bounds widened by a confidence of 1 day', () => {
  const a = steadyDay();
  assert.equal(confidence(a), 1);
  const e = estimate(a, 1);
  const cpu = end(CPU_HISTOGRAM, 0.5) * 1000 * 1.15;
  const mem = end(MEMORY_HISTOGRAM, 500e6) * 1.15;
  assert.ok(Math.abs(e.target.cpuMilli - cpu) < 1e-6);
  assert.ok(Math.abs(e.target.memoryBytes - mem) < 1e-3);
  assert.ok(Math.abs(e.upperBound.cpuMilli - cpu * 2) < 1e-6, 'upper × (1 + 1/1)');
  assert.ok(Math.abs(e.lowerBound.cpuMilli - cpu * 1.001 ** -2) < 1e-6, 'lower × (1 + 0.001/1)^-2');
});

test('little history: the upper bound is huge and the lower bound small', () => {
  const a = emptyAggregate();
  addCpuSample(a, 0.5, T0);
  addCpuSample(a, 0.5, T0 + 60 * MIN);
  addMemorySample(a, 500e6, T0);
  const conf = confidence(a);
  assert.ok(Math.abs(conf - 2 / 1440) < 1e-12, 'min(1/24 day, 2 samples / 1440)');
  const e = estimate(a, 1);
  assert.ok(e.upperBound.cpuMilli > 100 * e.target.cpuMilli);
  assert.ok(e.lowerBound.cpuMilli < e.target.cpuMilli / 2);
});

test('minimums of 25m and 250 MiB per pod are split among its containers', () => {
  const a = emptyAggregate();
  addCpuSample(a, 0.001, T0);
  addMemorySample(a, 1e6, T0);
  assert.deepEqual([estimate(a, 1).target.cpuMilli, estimate(a, 1).target.memoryBytes], [25, 250 * 2 ** 20]);
  assert.deepEqual([estimate(a, 2).target.cpuMilli, estimate(a, 2).target.memoryBytes], [12.5, 125 * 2 ** 20]);
  assert.equal(quantityOf('cpu', 12.5), '13m');
});

test('policy: min/maxAllowed cap target and bounds but not uncappedTarget; controlledResources; mode Off', () => {
  const e = estimate(steadyDay(), 1);
  const vpa = { spec: { resourcePolicy: { containerPolicies: [{ containerName: '*', maxAllowed: { cpu: '300m' }, minAllowed: { memory: '1Gi' } }] } } };
  const rec = containerRecommendation(vpa, 'app', e)!;
  assert.equal(rec.target.cpu, '300m');
  assert.equal(rec.upperBound.cpu, '300m');
  assert.equal(rec.target.memory, '1073741824');
  assert.equal(rec.uncappedTarget.cpu, `${Math.ceil(e.target.cpuMilli)}m`);
  const cpuOnly = containerRecommendation(
    { spec: { resourcePolicy: { containerPolicies: [{ containerName: 'app', controlledResources: ['cpu'] }] } } },
    'app',
    e,
  )!;
  assert.deepEqual(Object.keys(cpuOnly.target), ['cpu']);
  assert.equal(containerRecommendation({ spec: { resourcePolicy: { containerPolicies: [{ containerName: 'app', mode: 'Off' }] } } }, 'app', e), undefined);
});
