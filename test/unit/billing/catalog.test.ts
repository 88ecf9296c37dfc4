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
  for (const r of ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'sa-east-1', 'af-south-1'])
    assert.ok(regionsOf('eks').includes(r), r);
  for (const r of ['us-central1', 'us-east1', 'us-west1', 'europe-west1', 'europe-west4', 'asia-northeast1', 'australia-southeast1'])
    assert.ok(regionsOf('gke').includes(r), r);
  for (const r of ['eastus', 'eastus2', 'westeurope', 'northeurope', 'japaneast', 'brazilsouth']) assert.ok(regionsOf('aks').includes(r), r);
  assert.ok(regionsOf('eks').length >= 30 && regionsOf('gke').length >= 40 && regionsOf('aks').length >= 40);
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
      assert.ok(zonesOf(p, region).length >= 1, `${p} ${region} zones`);
      for (const t of instanceTypesOf(p)) {
        const price = hourlyPriceOf(p, region, t.name);
        assert.ok(price !== undefined && Number.isInteger(price) && price > 0, `${p} ${region} ${t.name}`);
      }
    }
  }
});

test('current general, compute and memory families; every captured price names its source and date', () => {
  for (const t of ['m6i.xlarge', 'm7i.large', 'm7g.large', 'c6i.xlarge', 'c7i.2xlarge', 'r6i.large', 'r7i.xlarge', 't3.medium'])
    assert.ok(findInstanceType('eks', t), t);
  for (const t of ['e2-standard-4', 'n2-standard-8', 'n2d-standard-4', 'n2-highmem-4', 'n2-highcpu-8', 'c2-standard-4'])
    assert.ok(findInstanceType('gke', t), t);
  for (const t of ['Standard_D4s_v5', 'Standard_D4as_v5', 'Standard_E4s_v5', 'Standard_F4s_v2']) assert.ok(findInstanceType('aks', t), t);
  // m6i.xlarge: $0.192 in us-east-1 (AWS Price List, as of 2026-01-19); 4 ENIs × (15 − 1) + 2 = 58 pods
  assert.equal(hourlyPriceOf('eks', 'us-east-1', 'm6i.xlarge'), 192_000);
  assert.equal(findInstanceType('eks', 'm6i.xlarge')?.maxPods, 58);
  assert.equal(findInstanceType('eks', 'm6i.xlarge')?.priceSources?.['us-east-1'].date, '2026-01-19');
  // GKE us-east1 lists the us-central1 prices
  assert.equal(hourlyPriceOf('gke', 'us-east1', 'e2-standard-2'), 67_006);
  for (const p of PROVIDERS) {
    for (const t of instanceTypesOf(p)) {
      for (const [region, src] of Object.entries(t.priceSources ?? {})) {
        assert.ok(src.source.length > 10 && /^\d{4}-\d{2}-\d{2}$/.test(src.date), `${p} ${t.name} ${region}`);
      }
      // a region without its own price says which region's price stands in
      for (const [region, from] of Object.entries(t.priceRegions ?? {}))
        assert.equal(t.hourlyMicroUsd[region], t.hourlyMicroUsd[from], `${p} ${t.name} ${region}`);
    }
  }
  assert.equal(findInstanceType('eks', 'm6i.xlarge')?.priceRegions?.['eu-central-1'], 'us-east-1');
});

test("GKE regional prices: the e2 and n2 types carry their own region's list price, with source and date", () => {
  // Cyclenerd pricing.yml (generated 2025-03-06 from the Cloud Billing Catalog API): n2-standard-4 in europe-west4 $0.213832
  assert.equal(hourlyPriceOf('gke', 'europe-west4', 'n2-standard-4'), 213_832);
  // e2-medium in asia-east1 $0.03879594, rounded to the micro-dollar
  assert.equal(hourlyPriceOf('gke', 'asia-east1', 'e2-medium'), 38_796);
  // e2-standard-16 in southamerica-east1: 4 × e2-standard-4's $0.2127408
  assert.equal(hourlyPriceOf('gke', 'southamerica-east1', 'e2-standard-16'), 850_963);
  // n2-highmem-2 in asia-northeast1: 2/80 of n2-highmem-80's $6.7176
  assert.equal(hourlyPriceOf('gke', 'asia-northeast1', 'n2-highmem-2'), 167_940);
  const n2 = findInstanceType('gke', 'n2-standard-4');
  assert.equal(n2?.priceRegions?.['europe-west4'], undefined);
  assert.equal(n2?.priceSources?.['europe-west4'].date, '2025-03-06');
  assert.match(n2?.priceSources?.['europe-west4'].source ?? '', /Cyclenerd\/google-cloud-pricing-cost-calculator/);
  // Not captured there: the reference region's price stands in and says so.
  // e2-highcpu-2 in europe-west4: 1/4 of e2-highcpu-8's $0.21785232
  assert.equal(hourlyPriceOf('gke', 'europe-west4', 'e2-highcpu-2'), 54_463);
  assert.equal(findInstanceType('gke', 'c2d-standard-4')?.priceRegions?.['europe-west4'], 'us-central1');
  // c2-standard-4 in europe-west4: 1/4 of c2-standard-16's $0.919488
  assert.equal(hourlyPriceOf('gke', 'europe-west4', 'c2-standard-4'), 229_872);
  // n2d-standard-4 in europe-west4: 2 × n2d-standard-2's $0.09302
  assert.equal(hourlyPriceOf('gke', 'europe-west4', 'n2d-standard-4'), 186_040);
  // n2d-highcpu-8 in europe-west4: 8/64 of n2d-highcpu-64's $2.197504
  assert.equal(hourlyPriceOf('gke', 'europe-west4', 'n2d-highcpu-8'), 274_688);
  assert.equal(findInstanceType('gke', 'n2-standard-4')?.priceRegions?.['northamerica-south1'], 'us-central1');
  // c2d-highcpu has 2 GB per vCPU (c2d-highcpu-4: 4 vCPU, 8 GB, $0.149924 in us-central1), unlike n2d-highcpu's 1 GB
  assert.deepEqual([findInstanceType('gke', 'c2d-highcpu-4')?.memoryGiB, hourlyPriceOf('gke', 'us-central1', 'c2d-highcpu-4')], [8, 149_924]);
  assert.equal(findInstanceType('gke', 'n2d-highcpu-4')?.memoryGiB, 4);
  // Regions that had a price of their own keep it (us-central1's published e2-standard-2 above).
  assert.equal(hourlyPriceOf('gke', 'us-central1', 'n2-standard-4'), 194_236);
});
