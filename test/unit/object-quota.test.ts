import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore } from '../helpers/store.ts';
import { createTenant } from '../../src/services/tenants/tenants.ts';
import { planObjectQuota } from '../../src/services/tenants/object-quota.ts';

const cm = (name: string) => ({
  op: 'create' as const,
  resource: 'configmaps',
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } },
});

test('the object quota reuses its count far from the bound (never counting less than this process admitted) and counts every create near it', async () => {
  const { store, clusterId, database } = await createTestStore();
  const tenant = await createTenant(database, { name: 'acme', plan: 'free' }, Date.now()); // 5,000 objects
  const quota = planObjectQuota(database);
  assert.deepEqual(await quota.check(clusterId, tenant.id), { limit: 5_000, used: 0 });
  await store.commit(
    clusterId,
    Array.from({ length: 10 }, (_, i) => cm(`a-${i}`)),
  );
  // Within the second: the cached count, raised by the create admitted since.
  assert.deepEqual(await quota.check(clusterId, tenant.id), { limit: 5_000, used: 1 });

  const fresh = planObjectQuota(database);
  for (let b = 0; b < 4_500; b += 500)
    await store.commit(
      clusterId,
      Array.from({ length: 500 }, (_, i) => cm(`b-${b + i}`)),
    );
  assert.deepEqual(await fresh.check(clusterId, tenant.id), { limit: 5_000, used: 4_510 });
  await store.commit(clusterId, [cm('c-0'), cm('c-1')]);
  // Near the bound every check counts the rows again.
  assert.deepEqual(await fresh.check(clusterId, tenant.id), { limit: 5_000, used: 4_512 });
});
