import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { randomString } from '../../../src/lib/ids.ts';
import { apiKeys } from '../../../src/store/schema/index.ts';
import { smallCluster } from '../fixture.ts';
import { assertError, assertHidden, assertNothingOfA, type RouteCase } from '../route-case.ts';

/** Key exchange, tenants (operator only) and a tenant's API keys (owner only). */
export const tenantCases: RouteCase[] = [
  {
    op: 'POST /v1/auth/token',
    async happy({ fx, call }) {
      const { key } = await fx.app.keyFor(fx.A.id, 'viewer');
      const r = await call('anonymous', 'POST', '/v1/auth/token', { body: { apiKey: key } });
      assert.equal(r.status, 200);
      assert.equal(r.body.tokenType, 'Bearer');
      assert.ok(r.body.expiresIn > 0);
      const principal = await fx.app.runtime.deps.tokens.verifyAccessToken(r.body.accessToken);
      assert.deepEqual(
        [principal.kind, principal.kind === 'tenant' && principal.tenantId, principal.kind === 'tenant' && principal.role],
        ['tenant', fx.A.id, 'viewer'],
      );
    },
    async error({ fx, call }) {
      assertError(await call('anonymous', 'POST', '/v1/auth/token', { body: { apiKey: `kates_live_${randomString(40)}` } }), 401, 'UNAUTHORIZED');
      const empty = await call('anonymous', 'POST', '/v1/auth/token', { body: { apiKey: '' } });
      assertError(empty, 422, 'VALIDATION_FAILED');
      assert.equal(empty.body.error.details.issues[0].field, 'apiKey');
      const extra = await call('anonymous', 'POST', '/v1/auth/token', { body: { apiKey: fx.B.key, scope: 'all' } });
      assertError(extra, 422, 'VALIDATION_FAILED');
      assert.equal(extra.body.error.details.issues[0].field, 'scope');
      assertError(
        await call('anonymous', 'POST', '/v1/auth/token', { rawBody: '{"apiKey":', headers: { 'content-type': 'application/json' } }),
        400,
        'BAD_REQUEST',
      );
    },
    async isolation({ fx, call }) {
      // B's key signs B's tenant into the token, whoever presents it: A's data stays out of reach.
      const r = await call('B', 'POST', '/v1/auth/token', { body: { apiKey: fx.B.key } });
      assert.equal(r.status, 200);
      const principal = await fx.app.runtime.deps.tokens.verifyAccessToken(r.body.accessToken);
      assert.equal(principal.kind === 'tenant' && principal.tenantId, fx.B.id);
      const probe = await fx.app.request('GET', `/v1/clusters/${fx.A.cluster.id}`, { token: r.body.accessToken });
      assertHidden(probe, fx, `/v1/clusters/${fx.A.cluster.id}`);
    },
  },
  {
    op: 'POST /v1/tenants',
    async happy({ call }) {
      const name = `t-${randomString(8)}`;
      const r = await call('admin', 'POST', '/v1/tenants', { body: { name, plan: 'free' } });
      assert.equal(r.status, 201);
      assert.deepEqual([r.body.name, r.body.plan.name, r.body.plan.maxClusters, r.body.deletedAt], [name, 'free', 2, null]);
      assert.match(r.body.id, /^ten_/);
    },
    async error({ fx, call }) {
      assertError(await call('admin', 'POST', '/v1/tenants', { body: { name: fx.A.name } }), 409, 'CONFLICT');
      assertError(await call('admin', 'POST', '/v1/tenants', { body: { name: 'Not_A_Label' } }), 422, 'VALIDATION_FAILED');
      assertError(await call('admin', 'POST', '/v1/tenants', { body: { name: `t-${randomString(6)}`, plan: 'platinum' } }), 422, 'VALIDATION_FAILED');
    },
    async isolation({ call }) {
      const name = `t-${randomString(8)}`;
      assertError(await call('B', 'POST', '/v1/tenants', { body: { name } }), 403, 'FORBIDDEN');
      const all = await call('admin', 'GET', '/v1/tenants?limit=200');
      assert.ok(!all.text.includes(name), 'a tenant token created nothing');
    },
  },
  {
    op: 'GET /v1/tenants',
    async happy({ fx, call }) {
      const r = await call('admin', 'GET', '/v1/tenants?limit=200');
      assert.equal(r.status, 200);
      assert.ok(r.body.items.some((t: { id: string }) => t.id === fx.A.id));
      // Pages of 2 walk every tenant once, newest first.
      const made = [await fx.app.tenant(), await fx.app.tenant(), await fx.app.tenant()];
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await call(
          'admin',
          'GET',
          `/v1/tenants?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        assert.ok(page.body.items.length <= 2);
        seen.push(...page.body.items.map((t) => t.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.equal(new Set(seen).size, seen.length, 'no tenant twice');
      assert.deepEqual(seen.slice(0, 3), made.map((t) => t.id).reverse(), 'newest first');
      assert.ok(seen.includes(fx.A.id));
    },
    async error({ call }) {
      assertError(await call('admin', 'GET', '/v1/tenants?cursor=not-a-cursor'), 400, 'BAD_REQUEST');
      assertError(await call('admin', 'GET', '/v1/tenants?limit=0'), 422, 'VALIDATION_FAILED');
    },
    async isolation({ fx, call }) {
      const r = await call('B', 'GET', '/v1/tenants');
      assertError(r, 403, 'FORBIDDEN');
      assertNothingOfA(r, fx);
    },
  },
  {
    op: 'DELETE /v1/tenants/{tenantId}',
    async happy({ fx, call }) {
      const gone = await fx.app.tenant();
      const cluster = await fx.app.runningCluster(gone.token, smallCluster());
      const r = await call('admin', 'DELETE', `/v1/tenants/${gone.id}`);
      assert.equal(r.status, 202);
      assert.ok(r.body.tenant.deletedAt);
      assert.deepEqual(
        r.body.operations.map((o: { clusterId: string; type: string }) => [o.clusterId, o.type]),
        [[cluster.id, 'DELETE_CLUSTER']],
      );
      assert.equal(r.body.revokedApiKeys.length, 1);
      assertError(await fx.app.request('GET', '/v1/clusters', { token: gone.token }), 401, 'UNAUTHORIZED');
    },
    async error({ fx, call }) {
      assertError(await call('admin', 'DELETE', '/v1/tenants/ten_0000000000000000'), 404, 'NOT_FOUND');
      // A cluster still being created is busy: nothing changes, the tenant keeps working.
      const busy = await fx.app.tenant();
      await fx.app.request('POST', '/v1/clusters', { token: busy.token, body: smallCluster() });
      assertError(await call('admin', 'DELETE', `/v1/tenants/${busy.id}`), 409, 'CONFLICT');
      assert.equal((await fx.app.request('GET', '/v1/clusters', { token: busy.token })).status, 200);
    },
    async isolation({ fx, call }) {
      assertError(await call('B', 'DELETE', `/v1/tenants/${fx.A.id}`), 403, 'FORBIDDEN');
      assert.equal((await call('A', 'GET', `/v1/tenants/${fx.A.id}`)).body.deletedAt, null);
    },
  },
  {
    op: 'GET /v1/tenants/{tenantId}',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/tenants/${fx.A.id}`);
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.id, r.body.name, r.body.plan.name], [fx.A.id, fx.A.name, 'enterprise']);
      assert.equal((await call('admin', 'GET', `/v1/tenants/${fx.A.id}`)).status, 200);
    },
    async error({ call }) {
      assertError(await call('admin', 'GET', '/v1/tenants/ten_0000000000000000'), 404, 'NOT_FOUND');
    },
    async isolation({ fx, call }) {
      const path = `/v1/tenants/${fx.A.id}`;
      assertHidden(await call('B', 'GET', path), fx, path);
    },
  },
  {
    op: 'GET /v1/tenants/{tenantId}/api-keys',
    async happy({ fx, call }) {
      const r = await call('A', 'GET', `/v1/tenants/${fx.A.id}/api-keys`);
      assert.equal(r.status, 200);
      assert.ok(r.body.items.some((k: { id: string; role: string }) => k.id === fx.A.ownerKeyId && k.role === 'owner'));
      // Secrets are shown once, at creation.
      assert.ok(r.body.items.every((k: object) => !('key' in k) && !('keyHash' in k)));
    },
    async error({ fx, call }) {
      assertError(await call('A.viewer', 'GET', `/v1/tenants/${fx.A.id}/api-keys`), 403, 'FORBIDDEN', /needs owner/);
      assertError(await call('A', 'GET', '/v1/tenants/ten_0000000000000000/api-keys'), 404, 'NOT_FOUND');
      // The operator, who may read any tenant's keys, is told the tenant does not exist.
      assertError(await call('admin', 'GET', '/v1/tenants/ten_0000000000000000/api-keys'), 404, 'NOT_FOUND', /tenant ten_0000000000000000 not found/);
    },
    async isolation({ fx, call }) {
      const path = `/v1/tenants/${fx.A.id}/api-keys`;
      assertHidden(await call('B', 'GET', path), fx, path);
    },
  },
  {
    op: 'POST /v1/tenants/{tenantId}/api-keys',
    async happy({ fx, call }) {
      const r = await call('A', 'POST', `/v1/tenants/${fx.A.id}/api-keys`, { body: { name: 'ci', role: 'viewer' } });
      assert.equal(r.status, 201);
      assert.deepEqual([r.body.name, r.body.role, r.body.revokedAt], ['ci', 'viewer', null]);
      assert.match(r.body.key, /^kates_live_/);
      // Stored only as a hash, listed without the secret.
      const row = await fx.app.runtime.deps.database.db.select().from(apiKeys).where(eq(apiKeys.id, r.body.id)).get();
      assert.ok(row && !JSON.stringify(row).includes(r.body.key));
      const list = await call('A', 'GET', `/v1/tenants/${fx.A.id}/api-keys`);
      assert.deepEqual(Object.keys(list.body.items.find((k: { id: string }) => k.id === r.body.id)).sort(), ['createdAt', 'id', 'name', 'revokedAt', 'role']);
      assert.ok(!list.text.includes(r.body.key));
      assert.equal((await fx.app.request('POST', '/v1/auth/token', { body: { apiKey: r.body.key } })).status, 200);
      // The operator may make a tenant's keys too.
      const byAdmin = await call('admin', 'POST', `/v1/tenants/${fx.A.id}/api-keys`, { body: { name: 'ops', role: 'owner' } });
      assert.equal(byAdmin.status, 201);
      const token = (await fx.app.request('POST', '/v1/auth/token', { body: { apiKey: byAdmin.body.key } })).body.accessToken;
      assert.equal((await fx.app.request('GET', '/v1/clusters', { token })).status, 200);
    },
    async error({ fx, call }) {
      // Keys carry one of the four tenant roles: no admin keys through the tenant API.
      for (const role of ['admin', 'root', '']) {
        const r = await call('A', 'POST', `/v1/tenants/${fx.A.id}/api-keys`, { body: { name: 'x', role } });
        assertError(r, 422, 'VALIDATION_FAILED');
        assert.equal(r.body.error.details.issues[0].field, 'role');
      }
      assertError(
        await call('A', 'POST', `/v1/tenants/${fx.A.id}/api-keys`, { rawBody: 'role=owner', headers: { 'content-type': 'application/json' } }),
        400,
        'BAD_REQUEST',
      );
      assertError(await call('admin', 'POST', '/v1/tenants/ten_0000000000000000/api-keys', { body: { name: 'x', role: 'owner' } }), 404, 'NOT_FOUND');
    },
    async isolation({ fx, call }) {
      const before = (await call('A', 'GET', `/v1/tenants/${fx.A.id}/api-keys`)).body.items.length;
      const path = `/v1/tenants/${fx.A.id}/api-keys`;
      assertHidden(await call('B', 'POST', path, { body: { name: 'backdoor', role: 'owner' } }), fx, path);
      assert.equal((await call('A', 'GET', path)).body.items.length, before);
    },
  },
  {
    op: 'DELETE /v1/tenants/{tenantId}/api-keys/{keyId}',
    async happy({ fx, call }) {
      const created = await call('A', 'POST', `/v1/tenants/${fx.A.id}/api-keys`, { body: { name: 'short-lived', role: 'developer' } });
      const token = (await fx.app.request('POST', '/v1/auth/token', { body: { apiKey: created.body.key } })).body.accessToken;
      assert.equal((await fx.app.request('GET', '/v1/clusters', { token })).status, 200);
      const r = await call('A', 'DELETE', `/v1/tenants/${fx.A.id}/api-keys/${created.body.id}`);
      assert.equal(r.status, 200);
      assert.ok(r.body.revokedAt);
      // The key mints nothing more, and the token it minted is dead at once; the other keys live on.
      assertError(await fx.app.request('GET', '/v1/clusters', { token }), 401, 'UNAUTHORIZED', /revoked/);
      const mint = await fx.app.request('POST', '/v1/auth/token', { body: { apiKey: created.body.key } });
      assertError(mint, 401, 'UNAUTHORIZED');
      assert.equal(mint.body.accessToken, undefined);
      assert.equal((await call('A', 'GET', '/v1/clusters')).status, 200);
      // Revoking twice is harmless: the first revocation time stays.
      const again = await call('A', 'DELETE', `/v1/tenants/${fx.A.id}/api-keys/${created.body.id}`);
      assert.deepEqual([again.status, again.body.revokedAt], [200, r.body.revokedAt]);
      const listed = (await call('A', 'GET', `/v1/tenants/${fx.A.id}/api-keys`)).body.items.find((k: { id: string }) => k.id === created.body.id);
      assert.equal(listed.revokedAt, r.body.revokedAt);
    },
    async error({ fx, call }) {
      assertError(await call('A', 'DELETE', `/v1/tenants/${fx.A.id}/api-keys/key_0000000000000000`), 404, 'NOT_FOUND');
      assertError(await call('A.developer', 'DELETE', `/v1/tenants/${fx.A.id}/api-keys/${fx.A.ownerKeyId}`), 403, 'FORBIDDEN');
    },
    async isolation({ fx, call }) {
      for (const path of [`/v1/tenants/${fx.A.id}/api-keys/${fx.A.ownerKeyId}`, `/v1/tenants/${fx.B.id}/api-keys/${fx.A.ownerKeyId}`]) {
        assertHidden(await call('B', 'DELETE', path), fx, path);
      }
      assert.equal((await call('A', 'GET', '/v1/clusters')).status, 200, "A's owner key still works");
    },
  },
];
