import assert from 'node:assert/strict';
import { randomString } from '../../../src/lib/ids.ts';
import { smallCluster } from '../fixture.ts';
import { assertError, assertHidden, assertNothingOfA, type RouteCase } from '../route-case.ts';

/** Creating, listing, reading, changing and deleting clusters. */
export const clusterCases: RouteCase[] = [
  {
    op: 'POST /v1/clusters',
    async happy({ fx, call }) {
      const r = await call('A.developer', 'POST', '/v1/clusters', { body: smallCluster({ labels: { team: 'web' } }) });
      assert.equal(r.status, 202);
      assert.equal(r.headers.location, `/v1/clusters/${r.body.id}`);
      assert.deepEqual(
        [r.body.status, r.body.operation.type, r.body.operation.status, r.body.labels],
        ['PROVISIONING', 'CREATE_CLUSTER', 'PENDING', { team: 'web' }],
      );
      await fx.app.runOperation(r.body.operation.id);
      const running = await call('A', 'GET', `/v1/clusters/${r.body.id}`);
      assert.deepEqual([running.body.status, running.body.nodePools[0].status], ['RUNNING', 'READY']);
      assert.equal((await fx.app.runtime.deps.store.list(r.body.id, 'nodes')).items.length, 2);
    },
    async error({ fx, call }) {
      const bad = await call('A', 'POST', '/v1/clusters', { body: smallCluster({ name: 'Not A Name' }) });
      assertError(bad, 422, 'VALIDATION_FAILED');
      assert.ok(
        bad.body.error.details.issues.some((i: { field: string }) => i.field === 'name'),
        bad.text,
      );
      assertError(await call('A', 'POST', '/v1/clusters', { body: smallCluster({ name: fx.A.cluster.name }) }), 409, 'CONFLICT');
      assertError(await call('A', 'POST', '/v1/clusters', { body: smallCluster({ region: 'mars-north-1' }) }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'POST', '/v1/clusters', { rawBody: '{"name":', headers: { 'content-type': 'application/json' } }), 400, 'BAD_REQUEST');
      assertError(await call('A', 'POST', '/v1/clusters', { rawBody: 'name=x', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    },
    async isolation({ fx, call }) {
      // Names are per tenant: B may reuse one of A's, and gets a cluster of its own.
      const name = `shared-${randomString(6)}`;
      const mine = await fx.freshCluster({ name });
      const theirs = await call('B', 'POST', '/v1/clusters', { body: smallCluster({ name }) });
      assert.equal(theirs.status, 202);
      assert.notEqual(theirs.body.id, mine.id);
      assertError(await call('A', 'GET', `/v1/clusters/${theirs.body.id}`), 404, 'NOT_FOUND');
    },
  },
  {
    op: 'GET /v1/clusters',
    async happy({ fx, call }) {
      const all = await call('A.viewer', 'GET', '/v1/clusters?limit=200');
      assert.equal(all.status, 200);
      assert.ok(all.body.items.some((c: { id: string }) => c.id === fx.A.cluster.id));
      // Pages of 2 walk the same list, newest first, neither skipping nor repeating.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await call(
          'A',
          'GET',
          `/v1/clusters?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        assert.ok(page.body.items.length <= 2);
        seen.push(...page.body.items.map((c) => c.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.deepEqual(
        seen,
        all.body.items.map((c: { id: string }) => c.id),
      );
      for (let i = 1; i < all.body.items.length; i++) assert.ok(all.body.items[i - 1].createdAt >= all.body.items[i].createdAt);
      // A page that ends exactly at the last cluster has no next cursor.
      assert.equal((await call('A', 'GET', `/v1/clusters?limit=${all.body.items.length}`)).body.nextCursor, null);
      const provisioning = await call('A', 'POST', '/v1/clusters', { body: smallCluster() });
      const filtered = await call('A', 'GET', '/v1/clusters?status=PROVISIONING');
      assert.deepEqual(
        filtered.body.items.map((c: { id: string }) => c.id),
        [provisioning.body.id],
      );
      await fx.app.runOperation(provisioning.body.operation.id);
    },
    async error({ call }) {
      assertError(await call('A', 'GET', '/v1/clusters?status=SLEEPING'), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', '/v1/clusters?limit=0'), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', '/v1/clusters?cursor=%%%'), 400, 'BAD_REQUEST');
    },
    async isolation({ fx, call }) {
      const r = await call('B', 'GET', '/v1/clusters?limit=200');
      assert.equal(r.status, 200);
      assertNothingOfA(r, fx);
    },
  },
  {
    op: 'GET /v1/clusters/{clusterId}',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/clusters/${fx.A.cluster.id}`);
      assert.equal(r.status, 200);
      assert.deepEqual(
        [r.body.id, r.body.name, r.body.status, r.body.nodePools.map((p: { name: string; count: number }) => [p.name, p.count])],
        [fx.A.cluster.id, fx.A.cluster.name, 'RUNNING', [['default', 2]]],
      );
      assert.ok(r.body.endpoint.startsWith('http'));
    },
    async error({ call }) {
      assertError(await call('A', 'GET', '/v1/clusters/cls_0000000000000000'), 404, 'NOT_FOUND');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}`;
      assertHidden(await call('B', 'GET', path), fx, path);
    },
  },
  {
    op: 'PATCH /v1/clusters/{clusterId}',
    async happy({ fx, call }) {
      const c = await fx.freshCluster();
      const labels = await call('A', 'PATCH', `/v1/clusters/${c.id}`, { body: { labels: { team: 'a' } } });
      assert.equal(labels.status, 200);
      assert.deepEqual(labels.body.labels, { team: 'a' });
      const grow = await call('A', 'PATCH', `/v1/clusters/${c.id}`, { body: { nodePools: [{ name: 'default', count: 3, maxCount: 5 }] } });
      assert.equal(grow.status, 202);
      assert.deepEqual([grow.body.status, grow.body.operation.type], ['UPDATING', 'UPDATE_CLUSTER']);
      await fx.app.runOperation(grow.body.operation.id);
      const after = await call('A', 'GET', `/v1/clusters/${c.id}`);
      assert.deepEqual([after.body.status, after.body.nodePools[0].count], ['RUNNING', 3]);
      assert.equal((await fx.app.runtime.deps.store.list(c.id, 'nodes')).items.length, 3);
    },
    async error({ fx, call }) {
      const c = await fx.freshCluster();
      assertError(await call('A', 'PATCH', `/v1/clusters/${c.id}`, { body: { labels: 'team=a' } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'PATCH', `/v1/clusters/${c.id}`, { body: { nodePools: [{ name: 'default', count: -1 }] } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'PATCH', '/v1/clusters/cls_0000000000000000', { body: { labels: {} } }), 404, 'NOT_FOUND');
      assertError(
        await call('A', 'PATCH', `/v1/clusters/${c.id}`, { body: { nodePools: [{ name: 'default', count: 4 }] } }),
        422,
        'VALIDATION_FAILED',
        /maxCount/,
      );
      const resize = await call('A', 'PATCH', `/v1/clusters/${c.id}`, { body: { nodePools: [{ name: 'default', count: 1, minCount: 1 }] } });
      assert.equal(resize.status, 202, resize.text);
      const busy = await call('A', 'PATCH', `/v1/clusters/${c.id}`, { body: { labels: { team: 'b' } } });
      assertError(busy, 409, 'CONFLICT');
      assert.equal(busy.body.error.details.operationId, resize.body.operation.id);
      await fx.app.runOperation(resize.body.operation.id);
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}`;
      assertHidden(await call('B', 'PATCH', path, { body: { labels: { owned: 'by-b' }, nodePools: [{ name: 'default', count: 1 }] } }), fx, path);
      const still = await call('A', 'GET', path);
      assert.deepEqual([still.body.labels, still.body.nodePools[0].count, still.body.status], [{}, 2, 'RUNNING']);
    },
  },
  {
    op: 'DELETE /v1/clusters/{clusterId}',
    async happy({ fx, call }) {
      const c = await fx.freshCluster();
      const r = await call('A.developer', 'DELETE', `/v1/clusters/${c.id}`);
      assert.equal(r.status, 202);
      assert.deepEqual([r.body.status, r.body.operation.type], ['DELETING', 'DELETE_CLUSTER']);
      await fx.app.runOperation(r.body.operation.id);
      // Deleted clusters stay readable (billing refers to them); their objects are gone.
      const gone = await call('A', 'GET', `/v1/clusters/${c.id}`);
      assert.equal(gone.body.status, 'DELETED');
      assert.ok(gone.body.deletedAt);
      assert.equal((await fx.app.runtime.deps.store.list(c.id, 'nodes')).items.length, 0);
    },
    async error({ fx, call }) {
      assertError(await call('A', 'DELETE', '/v1/clusters/cls_0000000000000000'), 404, 'NOT_FOUND');
      const c = await fx.freshCluster();
      const first = await call('A', 'DELETE', `/v1/clusters/${c.id}`);
      assertError(await call('A', 'DELETE', `/v1/clusters/${c.id}`), 409, 'CONFLICT');
      await fx.app.runOperation(first.body.operation.id);
      assertError(await call('A', 'DELETE', `/v1/clusters/${c.id}`), 404, 'NOT_FOUND');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}`;
      assertHidden(await call('B', 'DELETE', path), fx, path);
      assert.equal((await call('A', 'GET', path)).body.status, 'RUNNING');
    },
  },
];
