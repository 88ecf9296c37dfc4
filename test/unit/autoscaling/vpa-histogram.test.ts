import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addSample,
  bucketStart,
  CPU_HISTOGRAM,
  emptyHistogram,
  findBucket,
  HALF_LIFE_MS,
  MEMORY_HISTOGRAM,
  numBuckets,
  percentile,
} from '../../../src/autoscaling/vpa/histogram.ts';
import { addCpuSample, addMemorySample, addOomSample, emptyAggregate } from '../../../src/autoscaling/vpa/aggregate.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const close = (a: number, b: number) => Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b));

test('CPU buckets: 0.01 core first, 5 % wider each, up to 1000 cores', () => {
  assert.equal(numBuckets(CPU_HISTOGRAM), Math.ceil(Math.log((1000 * 0.05) / 0.01 + 1) / Math.log(1.05)) + 1);
  assert.equal(bucketStart(CPU_HISTOGRAM, 0), 0);
  assert.ok(close(bucketStart(CPU_HISTOGRAM, 1), 0.01));
  assert.ok(close(bucketStart(CPU_HISTOGRAM, 2), 0.01 + 0.0105));
  assert.equal(findBucket(CPU_HISTOGRAM, 0.005), 0);
  assert.equal(findBucket(CPU_HISTOGRAM, 0.0101), 1);
  assert.equal(findBucket(CPU_HISTOGRAM, 0.0206), 2);
  assert.equal(findBucket(CPU_HISTOGRAM, 5000), numBuckets(CPU_HISTOGRAM) - 1);
  assert.ok(close(bucketStart(MEMORY_HISTOGRAM, 1), 1e7));
});

test('percentile answers the end of the bucket where the running weight reaches p', () => {
  const h = emptyHistogram();
  for (let i = 0; i < 10; i++) addSample(CPU_HISTOGRAM, h, 0.1, 1, T0);
  addSample(CPU_HISTOGRAM, h, 1, 1, T0);
  const endOf = (v: number) => bucketStart(CPU_HISTOGRAM, findBucket(CPU_HISTOGRAM, v) + 1);
  assert.ok(close(percentile(CPU_HISTOGRAM, h, 0.5), endOf(0.1)));
  assert.ok(close(percentile(CPU_HISTOGRAM, h, 0.9), endOf(0.1)), '10/11 of the weight is at 0.1');
  assert.ok(close(percentile(CPU_HISTOGRAM, h, 0.95), endOf(1)));
  assert.equal(percentile(CPU_HISTOGRAM, emptyHistogram(), 0.9), 0);
});

test('decay: a sample one half-life newer weighs twice as much', () => {
  const h = emptyHistogram();
  addSample(CPU_HISTOGRAM, h, 0.2, 1, T0);
  addSample(CPU_HISTOGRAM, h, 0.8, 1, T0 + HALF_LIFE_MS);
  assert.ok(close(h.totalWeight / h.weights[findBucket(CPU_HISTOGRAM, 0.2)], 3));
  // Weights 1 and 2: the median lands in the newer sample's bucket.
  assert.ok(close(percentile(CPU_HISTOGRAM, h, 0.5), bucketStart(CPU_HISTOGRAM, findBucket(CPU_HISTOGRAM, 0.8) + 1)));
  // Renormalisation after 100 half-lives keeps the numbers finite and the shape.
  addSample(CPU_HISTOGRAM, h, 0.8, 1, T0 + 150 * HALF_LIFE_MS);
  assert.ok(Number.isFinite(h.totalWeight));
  assert.ok(close(percentile(CPU_HISTOGRAM, h, 0.1), bucketStart(CPU_HISTOGRAM, findBucket(CPU_HISTOGRAM, 0.8) + 1)));
});

test('memory keeps one peak per 24 h interval; a higher value replaces the peak, OOM bumps it', () => {
  const a = emptyAggregate();
  addMemorySample(a, 100e6, T0);
  addMemorySample(a, 300e6, T0 + 60_000);
  addMemorySample(a, 200e6, T0 + 120_000);
  assert.deepEqual(Object.keys(a.memory.weights).map(Number), [findBucket(MEMORY_HISTOGRAM, 300e6)]);
  assert.ok(close(a.memory.totalWeight, 2 ** (60_000 / HALF_LIFE_MS)));
  addMemorySample(a, 150e6, T0 + HALF_LIFE_MS + 1);
  assert.equal(Object.keys(a.memory.weights).length, 2);
  const b = emptyAggregate();
  addOomSample(b, 200 * 2 ** 20, T0);
  assert.equal(b.memoryPeak!.value, 300 * 2 ** 20, 'max(used + 100 MiB, used × 1.2)');
  addCpuSample(b, 0.5, T0);
  addCpuSample(b, 0.5, T0 + 60_000);
  assert.deepEqual([b.totalSamplesCount, b.firstSampleStart, b.lastSampleStart], [2, T0, T0 + 60_000]);
  assert.ok(close(b.cpu.totalWeight, 0.1 + 0.1 * 2 ** (60_000 / HALF_LIFE_MS)));
});
