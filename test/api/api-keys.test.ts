import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { apiKeys } from '../../src/store/schema/index.ts';

/** API keys: shown once, stored hashed, listed without secrets, revocable; a revoked key mints nothing. */
let h: Harness;
let owner: { id: string; key: string; token: string };

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
});
after(() => h.stop());

test('a created key is shown once, stored only as a hash and listed without its secret', async () => {
  const created = await h.request('POST', `/v1/tenants/${owner.id}/api-keys`, { token: owner.token, body: { name: 'deploy-bot', role: 'developer' } });
  assert.equal(created.status, 201);
  assert.equal(created.body.role, 'developer');
  assert.equal(created.body.revokedAt, null);
  assert.match(created.body.key, /^kates_live_/);
  const row = await h.runtime.deps.database.db.select().from(apiKeys).where(eq(apiKeys.id, created.body.id)).get();
  assert.ok(row);
  assert.notEqual(row.keyHash, created.body.key);
  assert.ok(!JSON.stringify(row).includes(created.body.key));
  const list = await h.request('GET', `/v1/tenants/${owner.id}/api-keys`, { token: owner.token });
  assert.equal(list.status, 200);
  const listed = list.body.items.find((k: { id: string }) => k.id === created.body.id);
  assert.deepEqual(Object.keys(listed).sort(), ['createdAt', 'id', 'name', 'revokedAt', 'role']);
  assert.ok(!list.text.includes(created.body.key));
  assert.ok(!list.text.includes(owner.key));
});

test('a revoked key cannot mint tokens; the tenant\'s other keys keep working; revoking twice is harmless', async () => {
  const victim = await h.keyFor(owner.id, owner.token, 'developer');
  const other = await h.keyFor(owner.id, owner.token, 'viewer');
  const revoked = await h.request('DELETE', `/v1/tenants/${owner.id}/api-keys/${victim.id}`, { token: owner.token });
  assert.equal(revoked.status, 200);
  assert.ok(revoked.body.revokedAt);
  const mint = await h.request('POST', '/v1/auth/token', { body: { apiKey: victim.key } });
  assert.equal(mint.status, 401);
  assert.equal(mint.body.error.code, 'UNAUTHORIZED');
  assert.equal(mint.body.accessToken, undefined);
  assert.equal((await h.request('POST', '/v1/auth/token', { body: { apiKey: other.key } })).status, 200);
  const again = await h.request('DELETE', `/v1/tenants/${owner.id}/api-keys/${victim.id}`, { token: owner.token });
  assert.equal(again.status, 200);
  assert.equal(again.body.revokedAt, revoked.body.revokedAt);
  const listed = (await h.request('GET', `/v1/tenants/${owner.id}/api-keys`, { token: owner.token })).body.items.find((k: { id: string }) => k.id === victim.id);
  assert.equal(listed.revokedAt, revoked.body.revokedAt);
});

test('tokens already minted for a key stop working the moment it is revoked', async () => {
  const key = await h.keyFor(owner.id, owner.token, 'developer');
  const token = await h.tokenFor(key.key);
  assert.equal((await h.request('GET', '/v1/clusters', { token })).status, 200);
  assert.equal((await h.request('DELETE', `/v1/tenants/${owner.id}/api-keys/${key.id}`, { token: owner.token })).status, 200);
  const after = await h.request('GET', '/v1/clusters', { token });
  assert.equal(after.status, 401);
  assert.equal(after.body.error.code, 'UNAUTHORIZED');
  assert.match(after.body.error.message, /revoked/);
  assert.equal((await h.request('GET', '/v1/clusters', { token: owner.token })).status, 200);
});

test('unknown keys and malformed token requests are refused with the error shape', async () => {
  const unknown = await h.request('POST', '/v1/auth/token', { body: { apiKey: 'kates_live_nope' } });
  assert.equal(unknown.status, 401);
  const empty = await h.request('POST', '/v1/auth/token', { body: { apiKey: '' } });
  assert.equal(empty.status, 422);
  assert.equal(empty.body.error.details.issues[0].field, 'apiKey');
  const extra = await h.request('POST', '/v1/auth/token', { body: { apiKey: owner.key, scope: 'all' } });
  assert.equal(extra.status, 422);
  assert.equal(extra.body.error.details.issues[0].field, 'scope');
});

test('keys carry one of the four tenant roles; admin keys cannot be made through the tenant API', async () => {
  for (const role of ['admin', 'root', '']) {
    const r = await h.request('POST', `/v1/tenants/${owner.id}/api-keys`, { token: owner.token, body: { name: 'x', role } });
    assert.equal(r.status, 422, role);
    assert.equal(r.body.error.details.issues[0].field, 'role');
  }
  const admin = await h.adminToken();
  const byAdmin = await h.request('POST', `/v1/tenants/${owner.id}/api-keys`, { token: admin, body: { name: 'ops', role: 'owner' } });
  assert.equal(byAdmin.status, 201);
  const token = await h.tokenFor(byAdmin.body.key);
  assert.equal((await h.request('GET', '/v1/clusters', { token })).status, 200);
});

test('a developer cannot list, create or revoke keys', async () => {
  const dev = await h.keyFor(owner.id, owner.token, 'developer');
  const target = await h.keyFor(owner.id, owner.token, 'viewer');
  const tries = [
    await h.request('GET', `/v1/tenants/${owner.id}/api-keys`, { token: dev.token }),
    await h.request('POST', `/v1/tenants/${owner.id}/api-keys`, { token: dev.token, body: { name: 'escalate', role: 'owner' } }),
    await h.request('DELETE', `/v1/tenants/${owner.id}/api-keys/${target.id}`, { token: dev.token }),
  ];
  for (const r of tries) {
    assert.equal(r.status, 403, r.text);
    assert.match(r.body.error.message, /needs owner/);
  }
  assert.equal((await h.request('POST', '/v1/auth/token', { body: { apiKey: target.key } })).status, 200);
});
