import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultTier, findInstanceType, hourlyPriceOf, instanceTypesOf, PROVIDERS, regionsOf, tiersOf, zonesOf } from '../../../src/billing/catalog.ts';

test('m5.large is 2 vCPU, 8 GiB, 29 pods (3 ENIs × (10 − 1) + 2) at $0.096/h in us-east-1', () => {
  const t = findInstanceType('eks', 'm5.large');
  assert.ok(t);
  assert.equal(t.vcpu, 2);
  assert.equal(t.memoryGiB, 8);
  assert.equal(t.maxPods, 29);
  assert.equal(hourlyPriceOf('eks', 'us-east-1', 'm5.large'), 96_000);
});

test('published reference prices: e2-standard-2 $0.067006 us-central1, Standard_D2s_v3 $0.096 eastus', () => {
  assert.equal(hourlyPriceOf('gke', 'us-central1', 'e2-standard-2'), 67_006);
  assert.equal(hourlyPriceOf('aks', 'eastus', 'Standard_D2s_v3'), 96_000);
  assert.equal(findInstanceType('gke', 'e2-standard-2')?.maxPods, 110);
  assert.equal(findInstanceType('aks', 'Standard_D2s_v3')?.maxPods, 250);
});

test('unknown types and regions are absent, not guessed', () => {
  assert.equal(findInstanceType('eks', 'e2-standard-2'), undefined);
  assert.equal(hourlyPriceOf('eks', 'us-central1', 'm5.large'), undefined);
  assert.deepEqual(zonesOf('gke', 'us-east-1'), []);
});

test('regions, zones and tiers per provider', () => {
  assert.deepEqual(regionsOf('eks'), ['us-east-1', 'us-west-2', 'eu-west-1']);
  assert.deepEqual(zonesOf('aks', 'westeurope'), ['westeurope-1', 'westeurope-2', 'westeurope-3']);
  assert.deepEqual(tiersOf('eks'), ['standard', 'extended']);
  assert.deepEqual(tiersOf('gke'), ['standard', 'autopilot']);
  assert.deepEqual(tiersOf('aks'), ['free', 'standard', 'premium']);
  assert.equal(defaultTier('aks'), 'free');
  assert.equal(defaultTier('eks'), 'standard');
});

test('every type is priced in every region of its provider, in whole micro-USD', () => {
  for (const p of PROVIDERS) {
    for (const region of regionsOf(p)) {
      assert.ok(zonesOf(p, region).length >= 3, `${p} ${region} zones`);
      for (const t of instanceTypesOf(p)) {
        const price = hourlyPriceOf(p, region, t.name);
        assert.ok(price !== undefined && Number.isInteger(price) && price > 0, `${p} ${region} ${t.name}`);
      }
    }
  }
});
