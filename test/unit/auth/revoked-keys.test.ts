import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase } from '../../helpers/database.ts';
import { RevokedKeys } from '../../../src/auth/revoked-keys.ts';
import { createApiKey, createTenant, revokeApiKey } from '../../../src/services/tenants/tenants.ts';
import { ManualClock } from '../../helpers/store.ts';

/**
 * Two RevokedKeys over one database stand for two Workers isolates: no announcement reaches the
 * other, which learns of the revocation from the log once its copy is older than maxStalenessMs.
 */
test('an instance that hears nothing catches up from the revocation log once its copy is stale, and only then reads', async () => {
  const database = openTestDatabase();
  const clock = new ManualClock();
  const tenant = await createTenant(database, { name: 'acme' }, clock.now());
  const keys = await Promise.all(['a', 'b', 'c'].map((name) => createApiKey(database, { tenantId: tenant.id, name, role: 'owner' }, clock.now())));
  const revoking = new RevokedKeys(database, { maxStalenessMs: 500, now: () => clock.now() });
  const other = new RevokedKeys(database, { maxStalenessMs: 500, now: () => clock.now() });
  await revoking.catchUp();
  await other.catchUp();

  let reads = 0;
  const counted = database.db.select.bind(database.db);
  (database.db as { select: unknown }).select = (...args: Parameters<typeof counted>) => (reads++, counted(...args));

  await revokeApiKey(database, tenant.id, keys[0].row.id, clock.now());
  await revoking.revoked(keys[0].row.id);
  assert.equal(await revoking.isRevoked(keys[0].row.id), true, 'at once where it was revoked');
  reads = 0;
  assert.equal(await other.isRevoked(keys[0].row.id), false, 'not yet elsewhere');
  for (let i = 0; i < 100; i++) await other.isRevoked(keys[1].row.id);
  assert.equal(reads, 0, 'checks within the staleness bound read nothing');

  clock.advance(501);
  assert.equal(await other.isRevoked(keys[0].row.id), true, 'after the bound, from the log');
  assert.equal(await other.isRevoked(keys[1].row.id), false);
  assert.equal(reads, 1, "one read of the log's tail");

  await revokeApiKey(database, tenant.id, keys[2].row.id, clock.now());
  clock.advance(501);
  assert.equal(await other.isRevoked(keys[2].row.id), true);
  assert.equal(await other.isRevoked(keys[0].row.id), true, 'the set only grows');
  const fresh = new RevokedKeys(database, { maxStalenessMs: 500, now: () => clock.now() });
  await fresh.catchUp();
  assert.deepEqual(await Promise.all(keys.map((k) => fresh.isRevoked(k.row.id))), [true, false, true], 'a new instance loads the whole log');
  await database.close();
});
