import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rateHour, type BilledCluster } from '../../../src/billing/rating/rate-hour.ts';
import { rateWindow } from '../../../src/billing/rating/rate-window.ts';
import { priceBookAt } from '../../../src/billing/price-book.ts';
import { GiB, HOUR, interval, MIN, SEC, T0 } from './fixtures.ts';

const eks: BilledCluster = { tenantId: 'ten_a', clusterId: 'cls_a', provider: 'eks', region: 'us-east-1', tier: 'standard' };
const cp = (tier: string, provider: 'eks' | 'gke' | 'aks' = 'eks', region = 'us-east-1') => interval('cluster', 'cls_a', { provider, tier, region }, T0 - HOUR);
const amounts = (records: { lineItem: string; subject: string; amountMicro: number }[]) =>
  Object.fromEntries(records.map((r) => [`${r.lineItem} ${r.subject}`, r.amountMicro]));

test('EKS standard, 3 × m5.large for a full hour: $0.10 + 3 × $0.096', () => {
  const intervals = [cp('standard'), ...['n1', 'n2', 'n3'].map((s) => interval('node', s, { instanceType: 'm5.large' }, T0 - HOUR))];
  const records = rateHour(eks, intervals, T0);
  assert.deepEqual(amounts(records), {
    'control-plane:standard cls_a': 100_000, // $0.10 = 100,000 µ$
    'node:m5.large n1': 96_000, // $0.096
    'node:m5.large n2': 96_000,
    'node:m5.large n3': 96_000,
  });
  const node = records.find((r) => r.subject === 'n1')!;
  assert.equal(node.quantityMicro, 1_000_000); // one instance-hour
  assert.equal(node.unitPriceNano, 96_000_000);
  assert.equal(node.priceBook, 'eks-2024-04');
  assert.deepEqual([node.attributes.vcpu, node.attributes.memoryGiB], [2, 8]);
});

test('EKS extended support is $0.60 per cluster-hour', () => {
  const records = rateHour(eks, [cp('extended')], T0);
  assert.equal(records[0].amountMicro, 600_000);
  assert.equal(records[0].lineItem, 'control-plane:extended');
});

test('per-second proration: a cluster deleted at 00:20:00.4 pays 1,201 s (partial second counts)', () => {
  const c = interval('cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1' }, T0 - HOUR, T0 + 20 * MIN + 400);
  const [r] = rateHour(eks, [c], T0);
  // $0.10 × 1201 / 3600 = $0.0333611… → 33,361 µ$
  assert.equal(r.amountMicro, 33_361);
  assert.equal(r.billedMs, 1_201_000);
  assert.deepEqual(rateHour(eks, [c], T0 + HOUR), []);
});

test('EC2 60 s minimum: a 30 s node pays 60 s, a 90 s node pays 90 s', () => {
  const short = interval('node', 'short', { instanceType: 'm5.large' }, T0 + 10 * MIN, T0 + 10 * MIN + 30 * SEC);
  const long = interval('node', 'long', { instanceType: 'm5.large' }, T0 + 10 * MIN, T0 + 10 * MIN + 90 * SEC);
  const a = amounts(rateHour(eks, [cp('standard'), short, long], T0));
  assert.equal(a['node:m5.large short'], 1_600); // $0.096 × 60 / 3600 = $0.0016
  assert.equal(a['node:m5.large long'], 2_400); // $0.096 × 90 / 3600 = $0.0024
});

test('the minimum top-up lands in the hour the node stopped, so hours add up to the minimum', () => {
  // 00:59:30 → 01:00:10 is 40 s: 30 s in hour 0, 10 s + 20 s top-up in hour 1, 60 s in all
  const node = interval('node', 'n', { instanceType: 'm5.large' }, T0 + HOUR - 30 * SEC, T0 + HOUR + 10 * SEC);
  const h0 = rateHour(eks, [node], T0);
  const h1 = rateHour(eks, [node], T0 + HOUR);
  assert.equal(h0[0].billedMs, 30_000);
  assert.equal(h1[0].billedMs, 30_000);
  assert.equal(h0[0].amountMicro + h1[0].amountMicro, 1_600); // 800 + 800 = $0.096 × 60 / 3600
  // rating the two hours as one window gives the same minimum
  const whole = rateWindow([node], { book: priceBookAt('eks', T0), region: 'us-east-1' }, T0, T0 + 2 * HOUR);
  assert.equal(whole[0].amountMicro, 1_600);
});

test('AKS: 5-minute VM minimum from June 2025, 1 minute before; free tier costs $0, premium $0.60', () => {
  const aks: BilledCluster = { ...eks, provider: 'aks', region: 'eastus', tier: 'free' };
  const vm = (start: number) => interval('node', 'vm', { instanceType: 'Standard_D2s_v3' }, start, start + 2 * MIN);
  const now = rateHour(aks, [cp('free', 'aks', 'eastus'), vm(T0)], T0);
  assert.deepEqual(amounts(now), { 'control-plane:free cls_a': 0, 'node:Standard_D2s_v3 vm': 8_000 }); // $0.096 × 300 / 3600
  const march2025 = Date.parse('2025-03-01T00:00:00Z');
  const before = rateHour(aks, [vm(march2025)], march2025);
  assert.equal(before[0].amountMicro, 3_200); // 120 s ≥ 60 s minimum: $0.096 × 120 / 3600
  assert.equal(before[0].priceBook, 'aks-2024-01');
  assert.equal(rateHour(aks, [cp('premium', 'aks', 'eastus')], T0)[0].amountMicro, 600_000);
});

test('storage per GiB-month over 730 h: 20 GiB pd-balanced for an hour', () => {
  const gke: BilledCluster = { ...eks, provider: 'gke', region: 'us-central1' };
  const pv = interval('volume', 'pv-1', { sizeBytes: 20 * GiB, storageClass: 'standard-rwo' }, T0 - HOUR);
  const [r] = rateHour(gke, [pv], T0);
  assert.equal(r.lineItem, 'storage:pd-balanced');
  assert.equal(r.amountMicro, 2_740); // $0.10 × 20 / 730 = $0.00273972… → 2,740 µ$
  assert.equal(r.quantityMicro, 27_397); // 20 / 730 GiB-months
  // an example class naming the type ("slow": pd-standard) is priced as that type
  const slow = interval('volume', 'pv-2', { sizeBytes: 25 * GiB, storageClass: 'slow', volumeType: 'pd-standard' }, T0 - HOUR);
  assert.equal(rateHour(gke, [slow], T0)[0].amountMicro, 1_370); // $0.04 × 25 / 730 = $0.00136986…
  // an unknown class falls back to the provider default (EKS: gp3 $0.08): 20 × 0.08 / 730 = $0.00219178…
  const flash = interval('volume', 'pv-3', { sizeBytes: 20 * GiB, storageClass: 'flash' }, T0 - HOUR);
  assert.equal(rateHour(eks, [flash], T0)[0].amountMicro, 2_192);
});

test('load balancer $0.025 per hour', () => {
  const lb = interval('loadbalancer', 'default/web', { namespace: 'default', name: 'web' }, T0 - HOUR);
  assert.equal(rateHour(eks, [lb], T0)[0].amountMicro, 25_000);
});

test('GKE Autopilot bills adjusted pod requests, not nodes', () => {
  const gke: BilledCluster = { ...eks, provider: 'gke', region: 'us-central1', tier: 'autopilot' };
  const pod = (name: string, cpuMilli: number, memoryBytes: number) =>
    interval('pod', `default/${name}`, { namespace: 'default', name, cpuMilli, memoryBytes, node: 'n1' }, T0 - HOUR);
  const records = rateHour(
    gke,
    [
      cp('autopilot', 'gke', 'us-central1'),
      interval('node', 'n1', { instanceType: 'e2-standard-2' }, T0 - HOUR),
      pod('small', 250, 512 * 2 ** 20),
      pod('unset', 0, 0),
      pod('memory-heavy', 100, 8 * GiB),
    ],
    T0,
  );
  assert.deepEqual(amounts(records), {
    'control-plane:autopilot cls_a': 100_000,
    // 0.25 vCPU × $0.0445 = $0.011125; 0.5 GiB × $0.0049225 = $0.00246125 → 2,461; 1 GiB default ephemeral × $0.0000548 → 55
    'autopilot:cpu default/small': 11_125,
    'autopilot:memory default/small': 2_461,
    'autopilot:ephemeral-storage default/small': 55,
    // defaults 500m and 2 GiB: 0.5 × 0.0445 = 0.02225; 2 × 0.0049225 = 0.009845
    'autopilot:cpu default/unset': 22_250,
    'autopilot:memory default/unset': 9_845,
    'autopilot:ephemeral-storage default/unset': 55,
    // 8 GiB needs 8 / 6.5 = 1.23 vCPU → 1.25 vCPU: 1.25 × 0.0445 = 0.055625; 8 × 0.0049225 = 0.03938
    'autopilot:cpu default/memory-heavy': 55_625,
    'autopilot:memory default/memory-heavy': 39_380,
    'autopilot:ephemeral-storage default/memory-heavy': 55,
  });
  assert.ok(records.every((r) => r.tier === 'autopilot'));
});

test('pods are not priced on node-billed tiers, and an unknown instance type is flagged, not guessed', () => {
  const records = rateHour(
    eks,
    [
      interval('pod', 'default/p', { namespace: 'default', name: 'p', cpuMilli: 500, memoryBytes: GiB }, T0 - HOUR),
      interval('node', 'odd', { instanceType: 'x9.mega' }, T0 - HOUR),
    ],
    T0,
  );
  assert.equal(records.length, 1);
  assert.equal(records[0].amountMicro, 0);
  assert.equal(records[0].attributes.unpriced, true);
});

test('a tier change mid-hour bills each tier for its part', () => {
  const std = interval('cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1' }, T0 - HOUR, T0 + 30 * MIN);
  const ext = interval('cluster', 'cls_a', { provider: 'eks', tier: 'extended', region: 'us-east-1' }, T0 + 30 * MIN);
  const a = amounts(rateHour(eks, [std, ext], T0));
  assert.deepEqual(a, { 'control-plane:standard cls_a': 50_000, 'control-plane:extended cls_a': 300_000 });
});
