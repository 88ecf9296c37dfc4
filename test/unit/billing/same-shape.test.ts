import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparableRegion, nodeTypeMapper, sameShapeType } from '../../../src/billing/reports/same-shape.ts';
import { findInstanceType } from '../../../src/billing/catalog.ts';

const shapeOf = (name: string) => findInstanceType('eks', name) ?? findInstanceType('gke', name) ?? findInstanceType('aks', name)!;

test('m5.large ↔ e2-standard-2 ↔ Standard_D2s_v3', () => {
  assert.equal(sameShapeType('gke', shapeOf('m5.large')).name, 'e2-standard-2'); // cheaper than n2-standard-2
  assert.equal(sameShapeType('aks', shapeOf('m5.large')).name, 'Standard_D2s_v3'); // general, not burstable B2ms
  assert.equal(sameShapeType('eks', shapeOf('Standard_D2s_v3')).name, 'm5.large');
  assert.equal(sameShapeType('eks', shapeOf('e2-standard-2')).name, 'm5.large');
});

test('same family wins over same shape in another family', () => {
  assert.equal(sameShapeType('aks', shapeOf('t3.large')).name, 'Standard_B2ms');
  assert.equal(sameShapeType('eks', shapeOf('Standard_E2s_v3')).name, 'r5.large');
});

test('without an exact shape, the smallest type that covers it', () => {
  // e2-highcpu-2 is 2 vCPU / 2 GiB: EKS has no such shape; t3.medium and c5.large (2/4) cover it, t3.medium is cheaper
  assert.equal(sameShapeType('eks', shapeOf('e2-highcpu-2')).name, 't3.medium');
});

test('mapper remembers what it used; regions map by geography', () => {
  const m = nodeTypeMapper('gke');
  assert.equal(m.map('m5.large'), 'e2-standard-2');
  assert.equal(m.map('e2-medium'), 'e2-medium');
  assert.deepEqual(
    [...m.used],
    [
      ['m5.large', 'e2-standard-2'],
      ['e2-medium', 'e2-medium'],
    ],
  );
  assert.equal(comparableRegion('aks', { provider: 'eks', region: 'eu-west-1' }), 'westeurope');
  assert.equal(comparableRegion('gke', { provider: 'aks', region: 'eastus' }), 'us-central1');
  assert.equal(comparableRegion('eks', { provider: 'eks', region: 'us-west-2' }), 'us-west-2');
});
