import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocate, IDLE, type AllocationRecord } from '../../../src/billing/allocation/allocate.ts';
import { splitByWeights } from '../../../src/billing/allocation/split.ts';
import { GiB, HOUR, interval, T0 } from './fixtures.ts';

const nodeHour: AllocationRecord = {
  hourStart: T0,
  kind: 'node',
  subject: 'n1',
  amountMicro: 96_000,
  billedMs: HOUR,
  attributes: { instanceType: 'm5.large', vcpu: 2, memoryGiB: 8 },
};
const controlPlane: AllocationRecord = { hourStart: T0, kind: 'cluster', subject: 'cls_a', amountMicro: 100_000, billedMs: HOUR, attributes: {} };
const web = interval(
  'pod',
  'web/web-1',
  { namespace: 'web', name: 'web-1', node: 'n1', cpuMilli: 1000, memoryBytes: 2 * GiB, workload: 'Deployment/web', labels: { team: 'a' }, claims: ['data'] },
  T0 - HOUR,
);
const job = interval(
  'pod',
  'batch/job-1',
  { namespace: 'batch', name: 'job-1', node: 'n1', cpuMilli: 500, memoryBytes: 1 * GiB, workload: 'Job/job', labels: { team: 'b' } },
  T0 - HOUR,
);
const byName = (r: ReturnType<typeof allocate>) => Object.fromEntries(r.allocations.map((a) => [a.name, [a.cpuMicro, a.memoryMicro, a.totalMicro]]));

test('exact split: parts add up to the amount, remainders go to the largest fractions', () => {
  assert.deepEqual(splitByWeights(10, [1n, 1n, 1n]), [4, 3, 3]);
  assert.deepEqual(splitByWeights(96_000, [63_222n, 33_896n]), [62_494, 33_506]);
  assert.deepEqual(splitByWeights(5, [0n, 0n]), [0, 5]);
});

test("a node-hour is split into CPU and memory by OpenCost's price ratio, then by requests, the rest is idle", () => {
  // m5.large hour $0.096 = 96,000 µ$. CPU weight 2 × 31,611 = 63,222, memory 8 × 4,237 = 33,896:
  // CPU 96,000 × 63,222 / 97,118 = 62,493.18 → 62,494; memory 33,505.79 → 33,506 (largest remainders)
  // CPU: web 1000m, job 500m, idle 500m of 2000m → 31,247 / 15,623.5 / 15,623.5 → 31,247, 15,624, 15,623
  // memory: web 2, job 1, idle 5 of 8 GiB → 8,376.5 / 4,188.25 / 20,941.25 → 8,377, 4,188, 20,941
  const r = allocate({ records: [nodeHour, controlPlane], pods: [web, job], groupBy: 'namespace' });
  assert.deepEqual(byName(r), { web: [31_247, 8_377, 39_624], batch: [15_624, 4_188, 19_812] });
  assert.deepEqual(r.idle, { cpuMicro: 15_623, memoryMicro: 20_941, totalMicro: 36_564 });
  assert.equal(r.overheadMicro, 100_000);
  assert.equal(r.totalMicro, 196_000); // everything reconciles with the records
});

test('max(request, usage): a pod using more than it requested pays for its usage; nothing is idle when the node is full', () => {
  const usage = (pod: string) => (pod === 'batch/job-1' ? { cpuMilli: 1500, memoryBytes: 0 } : undefined);
  const r = allocate({ records: [nodeHour], pods: [web, job], groupBy: 'namespace', usage });
  // CPU asked 1000 + 1500 = 2500m > 2000m: shared 1000:1500 of 62,494 → 24,997.6 / 37,496.4 → 24,998 / 37,496
  assert.equal(r.allocations.find((a) => a.name === 'web')!.cpuMicro, 24_998);
  assert.equal(r.allocations.find((a) => a.name === 'batch')!.cpuMicro, 37_496);
  assert.equal(r.idle.cpuMicro, 0);
  assert.equal(r.totalMicro, 96_000);
});

test('a pod present for part of the hour pays for its part', () => {
  const late = interval('pod', 'web/late', { namespace: 'web', name: 'late', node: 'n1', cpuMilli: 2000, memoryBytes: 8 * GiB }, T0 + HOUR / 2);
  const r = allocate({ records: [nodeHour], pods: [late], groupBy: 'namespace' });
  // the whole node for half the hour: half of each part
  assert.deepEqual(byName(r), { web: [31_247, 16_753, 48_000] });
  assert.equal(r.idle.totalMicro, 48_000);
});

test('by workload and by label; volumes follow the pods mounting their claim; load balancers go to the Service', () => {
  const pv: AllocationRecord = {
    hourStart: T0,
    kind: 'volume',
    subject: 'pv-1',
    amountMicro: 2_740,
    billedMs: HOUR,
    attributes: { claimNamespace: 'web', claimName: 'data' },
  };
  const orphanPv: AllocationRecord = {
    hourStart: T0,
    kind: 'volume',
    subject: 'pv-2',
    amountMicro: 1_000,
    billedMs: HOUR,
    attributes: { claimNamespace: 'batch', claimName: 'scratch' },
  };
  const lb: AllocationRecord = {
    hourStart: T0,
    kind: 'loadbalancer',
    subject: 'web/front',
    amountMicro: 25_000,
    billedMs: HOUR,
    attributes: { namespace: 'web', name: 'front' },
  };
  const records = [nodeHour, pv, orphanPv, lb, controlPlane];
  const byWorkload = allocate({ records, pods: [web, job], groupBy: 'workload' });
  const w = Object.fromEntries(byWorkload.allocations.map((a) => [a.name, a]));
  assert.equal(w['web/Deployment/web'].storageMicro, 2_740);
  assert.equal(w['batch/PersistentVolumeClaim/scratch'].storageMicro, 1_000);
  assert.equal(w['web/Service/front'].loadBalancerMicro, 25_000);
  assert.equal(byWorkload.totalMicro, 96_000 + 2_740 + 1_000 + 25_000 + 100_000);
  const byTeam = allocate({ records, pods: [web, job], groupBy: 'label:team' });
  assert.deepEqual(
    byTeam.allocations.map((a) => [a.name, a.totalMicro]),
    [
      ['a', 39_624 + 2_740],
      ['__unallocated__', 26_000], // the unmounted claim and the load balancer carry no pod labels
      ['b', 19_812],
    ],
  );
  assert.equal(byTeam.totalMicro, byWorkload.totalMicro);
});

test('shareIdle=weighted spreads idle over allocations by their CPU and memory cost', () => {
  const r = allocate({ records: [nodeHour], pods: [web, job], groupBy: 'namespace', shareIdle: 'weighted' });
  // idle 36,564 split 39,624 : 19,812 = 2 : 1 → 24,376 and 12,188
  assert.deepEqual(
    r.allocations.map((a) => [a.name, a.sharedIdleMicro, a.totalMicro]),
    [
      ['web', 24_376, 64_000],
      ['batch', 12_188, 32_000],
    ],
  );
  assert.equal(r.idle.totalMicro, 0);
  assert.equal(r.totalMicro, 96_000);
});

test('Autopilot charges belong to their pod; no node cost, no idle', () => {
  const records: AllocationRecord[] = [
    {
      hourStart: T0,
      kind: 'pod-cpu',
      subject: 'web/web-1',
      amountMicro: 11_125,
      billedMs: HOUR,
      attributes: { namespace: 'web', name: 'web-1', workload: 'Deployment/web' },
    },
    {
      hourStart: T0,
      kind: 'pod-memory',
      subject: 'web/web-1',
      amountMicro: 2_461,
      billedMs: HOUR,
      attributes: { namespace: 'web', name: 'web-1', workload: 'Deployment/web' },
    },
  ];
  const r = allocate({ records, pods: [], groupBy: 'workload' });
  assert.deepEqual(
    r.allocations.map((a) => [a.name, a.podMicro]),
    [['web/Deployment/web', 13_586]],
  );
  assert.equal(r.idle.totalMicro, 0);
  assert.equal(IDLE, '__idle__');
});
