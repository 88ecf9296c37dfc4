import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../../src/billing/reports/estimate.ts';
import { T0 } from './fixtures.ts';

const threeM5 = { provider: 'eks' as const, region: 'us-east-1', nodePools: [{ instanceType: 'm5.large', count: 3 }] };
const byOption = (results: ReturnType<typeof estimate>['results']) => Object.fromEntries(results.map((r) => [`${r.provider}/${r.tier}`, r]));

test('3 × m5.large on EKS standard for 730 h = 730 × (0.10 + 3 × 0.096) = $283.24', () => {
  const { hours, results } = estimate(threeM5, T0);
  assert.equal(hours, 730);
  const eks = byOption(results)['eks/standard'];
  assert.equal(eks.total.amount, '283.24');
  assert.deepEqual(
    eks.lineItems.map((l) => [l.item, l.quantity, l.unit, l.unitPrice.amount, l.amount.amount]),
    [
      ['control-plane:standard', '730', 'cluster-hour', '0.10', '73.00'],
      ['node:m5.large', '2190', 'instance-hour', '0.096', '210.24'], // 3 × 730 h
    ],
  );
});

test('every provider and tier, each node as the same-shape type', () => {
  const r = byOption(estimate(threeM5, T0).results);
  assert.deepEqual(Object.keys(r), ['eks/standard', 'eks/extended', 'gke/standard', 'gke/autopilot', 'aks/free', 'aks/standard', 'aks/premium']);
  // 730 × 0.60 + 210.24 = 438 + 210.24
  assert.equal(r['eks/extended'].total.amount, '648.24');
  // GKE: 3 × e2-standard-2 × 730 h × $0.067006 = $146.74314; the $73.00 fee is covered by the free tier credit
  assert.deepEqual(r['gke/standard'].nodeTypes, [{ recorded: 'm5.large', priced: 'e2-standard-2' }]);
  assert.equal(r['gke/standard'].region, 'us-central1');
  assert.equal(r['gke/standard'].subtotal.amount, '219.74'); // 73 + 146.74314
  assert.equal(r['gke/standard'].credits.amount, '-73.00');
  assert.equal(r['gke/standard'].total.amount, '146.74');
  // AKS: 3 × Standard_D2s_v3 × 730 × $0.096 = $210.24; free tier $0, standard +$73, premium +$438
  assert.deepEqual(r['aks/free'].nodeTypes, [{ recorded: 'm5.large', priced: 'Standard_D2s_v3' }]);
  assert.equal(r['aks/free'].total.amount, '210.24');
  assert.equal(r['aks/standard'].total.amount, '283.24');
  assert.equal(r['aks/premium'].total.amount, '648.24');
  // Autopilot, pods requesting all 3 nodes (6 vCPU, 24 GiB, 3 × 1 GiB default ephemeral):
  // 6 × 0.0445 × 730 = 194.91; 24 × 0.0049225 × 730 = 86.2422; 3 × 0.0000548 × 730 = 0.120012 → 281.272212
  assert.equal(r['gke/autopilot'].total.amount, '281.27');
  assert.ok(r['gke/autopilot'].notes.some((n) => n.includes('full capacity')));
});

test('volumes, load balancers, workloads and hours', () => {
  const { results } = estimate(
    {
      provider: 'gke',
      region: 'europe-west1',
      regional: true,
      hours: 100,
      nodePools: [{ instanceType: 'e2-standard-4', count: 1 }],
      volumes: [{ sizeGiB: 73, storageClass: 'premium-rwo', count: 2 }],
      loadBalancers: 1,
      workloads: [{ name: 'web', replicas: 2, cpuMilli: 500, memoryBytes: 2 ** 30 }],
    },
    T0,
  );
  const r = byOption(results);
  // regional: no credit. 100 h × 0.10 = 10; e2-standard-4 europe-west1 100 × 0.147372 = 14.7372;
  // 2 × 73 GiB pd-ssd × 0.17 × 100 / 730 = 3.40; LB 100 × 0.025 = 2.50 → 30.6372
  assert.equal(r['gke/standard'].credits.amount, '0.00');
  assert.equal(r['gke/standard'].total.amount, '30.64');
  // on EKS eu-west-1: 10 + m5.xlarge 100 × 0.214 = 21.40 + default gp3 2 × 73 × 0.08 × 100 / 730 = 1.60 + 2.50 = 35.50
  assert.deepEqual(r['eks/standard'].nodeTypes, [{ recorded: 'e2-standard-4', priced: 'm5.xlarge' }]);
  assert.equal(r['eks/standard'].total.amount, '35.50');
  // Autopilot: 2 pods × (0.5 vCPU × 0.0445 + 1 GiB × 0.0049225 + 1 GiB × 0.0000548) × 100 h
  // = 2 × 0.0272273 × 100 = 5.44546; + fee 10 + storage 3.40 + LB 2.50 = 21.34546. Every Autopilot
  // cluster is regional and still the one the free tier covers: the $10 fee (under the prorated
  // 100 / 730 × $74.40 = $10.19 cap) is credited → 11.34546
  assert.equal(r['gke/autopilot'].credits.amount, '-10.00');
  assert.equal(r['gke/autopilot'].total.amount, '11.35');
});
