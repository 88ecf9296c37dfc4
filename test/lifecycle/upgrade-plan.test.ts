import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { priceUpgradePlan } from '../../src/billing/reports/upgrade-plan.ts';
import { settledCluster } from './helpers.ts';

let h: Harness;
let owner: { id: string; key: string; token: string };
before(async () => {
  h = await startHarness();
  owner = await h.tenant();
});
after(() => h.stop());

test("an estimate prices the surge nodes of one upgrade under each provider's surge model", async () => {
  const r = await h.request('POST', '/v1/estimates', {
    token: owner.token,
    body: { provider: 'eks', region: 'us-east-1', nodePools: [{ instanceType: 'm5.large', count: 3 }], upgradePlan: { minutesPerBatch: 10 } },
  });
  assert.equal(r.status, 200, r.text);
  const by = Object.fromEntries(r.body.upgradePlan.map((p: { provider: string }) => [p.provider, p]));
  // EKS: twice the 3 zones, capped at the 3 nodes, for 3 batches of one node (maxUnavailable 1): 3 × 0.5 h × $0.096.
  assert.deepEqual(pick(by.eks.pools[0]), { surgeNodes: 3, batches: 3, surgeNodeHours: 1.5, maxUnavailable: '1' });
  assert.equal(by.eks.total.amount, '0.14');
  assert.equal(by.eks.lineItems[0].item, 'surge-node:m5.large');
  // GKE: one surge node (maxSurge 1, maxUnavailable 0) for 3 batches, as the same-shape e2-standard-2.
  assert.deepEqual(pick(by.gke.pools[0]), { surgeNodes: 1, batches: 3, surgeNodeHours: 0.5, maxUnavailable: '0' });
  assert.equal(by.gke.pools[0].instanceType, 'e2-standard-2');
  assert.equal(by.gke.total.amount, '0.03');
  // AKS: 10% of 3 nodes rounded up is one surge node.
  assert.deepEqual(pick(by.aks.pools[0]), { surgeNodes: 1, batches: 3, surgeNodeHours: 0.5, maxUnavailable: '0' });
  assert.equal(by.aks.pools[0].maxSurge, '10%');

  const without = await h.request('POST', '/v1/estimates', {
    token: owner.token,
    body: { provider: 'eks', region: 'us-east-1', nodePools: [{ instanceType: 'm5.large', count: 3 }] },
  });
  assert.equal(without.body.upgradePlan, undefined);
});

test("a cluster's cost comparison prices an upgrade of its pools with their own surge settings", async () => {
  const cluster = await settledCluster(h, owner.token, {
    name: 'plan',
    provider: 'gke',
    region: 'us-central1',
    nodePools: [{ name: 'web', instanceType: 'e2-standard-4', count: 4, upgradeSettings: { maxSurge: 2, maxUnavailable: 0 } }],
  });
  const r = await h.request('GET', `/v1/clusters/${cluster.id}/costs/compare?upgradeMinutesPerBatch=20`, { token: owner.token });
  assert.equal(r.status, 200, r.text);
  const gke = r.body.upgradePlan.find((p: { provider: string }) => p.provider === 'gke');
  assert.deepEqual(pick(gke.pools[0]), { surgeNodes: 2, batches: 2, surgeNodeHours: 1.333, maxUnavailable: '0' });
  const aks = r.body.upgradePlan.find((p: { provider: string }) => p.provider === 'aks');
  assert.equal(aks.pools[0].maxSurge, '10%', 'another provider uses its own defaults');
  const plain = await h.request('GET', `/v1/clusters/${cluster.id}/costs/compare`, { token: owner.token });
  assert.equal(plain.body.upgradePlan, undefined);
});

test('a bigger surge finishes sooner for the same surge node-hours (AKS 50% against the 10% default)', () => {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const slow = priceUpgradePlan({ provider: 'aks', region: 'eastus' }, [{ name: 'p', instanceType: 'Standard_D2s_v3', count: 10 }], start).find(
    (p) => p.provider === 'aks',
  )!;
  const fast = priceUpgradePlan(
    { provider: 'aks', region: 'eastus' },
    [{ name: 'p', instanceType: 'Standard_D2s_v3', count: 10, maxSurge: '50%' }],
    start,
  ).find((p) => p.provider === 'aks')!;
  assert.deepEqual([slow.pools[0].surgeNodes, slow.pools[0].batches], [1, 10]);
  assert.deepEqual([fast.pools[0].surgeNodes, fast.pools[0].batches], [5, 2]);
  assert.equal(slow.pools[0].surgeNodeHours, fast.pools[0].surgeNodeHours);
  assert.ok(fast.pools[0].hours < slow.pools[0].hours);
});

function pick(p: { surgeNodes: number; batches: number; surgeNodeHours: number; maxUnavailable: string }) {
  return { surgeNodes: p.surgeNodes, batches: p.batches, surgeNodeHours: p.surgeNodeHours, maxUnavailable: p.maxUnavailable };
}

test('the support calendar is served: EKS 1.31 left standard support on 2025-11-26', async () => {
  const r = await h.request('GET', '/v1/kubernetes-versions?provider=eks', { token: owner.token });
  assert.equal(r.status, 200, r.text);
  const v131 = r.body.items.find((i: { version: string }) => i.version === '1.31');
  assert.deepEqual([v131.endOfStandardSupport, v131.endOfExtendedSupport], ['2025-11-26', '2026-11-26']);
  assert.equal(r.body.items.length, 7);
  assert.match(r.body.sources[0], /kubernetes-versions/);
  const all = await h.request('GET', '/v1/kubernetes-versions', { token: owner.token });
  assert.equal(all.body.items.length, 21);
  assert.equal((await h.request('GET', '/v1/kubernetes-versions?provider=openshift', { token: owner.token })).status, 422);
});

test('extended support is chosen per cluster: EKS by default, AKS Long Term Support only on the premium tier', async () => {
  const eks = await h.request('POST', '/v1/clusters', {
    token: owner.token,
    body: { name: 'vs-eks', provider: 'eks', region: 'us-east-1', nodePools: [{ name: 'a', instanceType: 'm5.large', count: 1 }] },
  });
  assert.equal(eks.body.versionSupport, 'extended');
  const gke = await h.request('POST', '/v1/clusters', {
    token: owner.token,
    body: {
      name: 'vs-gke',
      provider: 'gke',
      region: 'us-central1',
      versionSupport: 'extended',
      nodePools: [{ name: 'a', instanceType: 'e2-standard-2', count: 1 }],
    },
  });
  assert.equal(gke.body.versionSupport, 'extended');
  const aks = await h.request('POST', '/v1/clusters', {
    token: owner.token,
    body: {
      name: 'vs-aks',
      provider: 'aks',
      region: 'eastus',
      versionSupport: 'extended',
      nodePools: [{ name: 'a', instanceType: 'Standard_D2s_v3', count: 1 }],
    },
  });
  assert.equal(aks.status, 422);
  assert.match(aks.body.error.message, /Long Term Support needs the premium tier/);
  const premium = await h.request('POST', '/v1/clusters', {
    token: owner.token,
    body: {
      name: 'vs-aks',
      provider: 'aks',
      tier: 'premium',
      region: 'eastus',
      versionSupport: 'extended',
      nodePools: [{ name: 'a', instanceType: 'Standard_D2s_v3', count: 1 }],
    },
  });
  assert.equal(premium.status, 202, premium.text);
});
