import assert from 'node:assert/strict';
import { assertError, assertHidden, type RouteCase } from '../route-case.ts';

const extraPool = { name: 'extra', instanceType: 'm5.large', count: 1 };

/** Node pools and control-plane upgrades: each change is an operation the node-pool controller finishes. */
export const nodePoolCases: RouteCase[] = [
  {
    op: 'GET /v1/clusters/{clusterId}/node-pools',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/clusters/${fx.A.cluster.id}/node-pools`);
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.body.items.map((p: { name: string; count: number; status: string }) => [p.name, p.count, p.status]),
        [['default', 2, 'READY']],
      );
    },
    async error({ call }) {
      assertError(await call('A', 'GET', '/v1/clusters/cls_0000000000000000/node-pools'), 404, 'NOT_FOUND');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/node-pools`;
      assertHidden(await call('B', 'GET', path), fx, path);
    },
  },
  {
    op: 'GET /v1/clusters/{clusterId}/node-pools/{poolName}',
    async happy({ fx, call }) {
      const r = await call('A', 'GET', `/v1/clusters/${fx.A.cluster.id}/node-pools/default`);
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.name, r.body.instanceType, r.body.count, r.body.version], ['default', 'm5.large', 2, '1.32']);
    },
    async error({ fx, call }) {
      assertError(await call('A', 'GET', `/v1/clusters/${fx.A.cluster.id}/node-pools/nope`), 404, 'NOT_FOUND');
      assertError(await call('A', 'GET', '/v1/clusters/cls_0000000000000000/node-pools/default'), 404, 'NOT_FOUND');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/node-pools/default`;
      assertHidden(await call('B', 'GET', path), fx, path);
    },
  },
  {
    op: 'POST /v1/clusters/{clusterId}/node-pools',
    async happy({ fx, call }) {
      const c = await fx.freshCluster();
      const r = await call('A', 'POST', `/v1/clusters/${c.id}/node-pools`, { body: extraPool });
      assert.equal(r.status, 202);
      assert.equal(r.headers.location, `/v1/clusters/${c.id}/node-pools/extra`);
      assert.deepEqual([r.body.status, r.body.operation.type], ['PROVISIONING', 'CREATE_NODE_POOL']);
      await fx.app.runOperation(r.body.operation.id);
      const pool = await call('A', 'GET', `/v1/clusters/${c.id}/node-pools/extra`);
      assert.equal(pool.body.status, 'READY');
      assert.equal((await fx.app.runtime.deps.store.list(c.id, 'nodes')).items.length, 3);
    },
    async error({ fx, call }) {
      const c = await fx.freshCluster();
      const path = `/v1/clusters/${c.id}/node-pools`;
      assertError(await call('A', 'POST', path, { body: { ...extraPool, name: 'default' } }), 409, 'CONFLICT');
      assertError(await call('A', 'POST', path, { body: { ...extraPool, name: 'Extra Pool' } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'POST', path, { body: { ...extraPool, instanceType: 'no-such-type' } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'POST', '/v1/clusters/cls_0000000000000000/node-pools', { body: extraPool }), 404, 'NOT_FOUND');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/node-pools`;
      assertHidden(await call('B', 'POST', path, { body: { ...extraPool, name: 'intruder' } }), fx, path);
      assert.equal((await call('A', 'GET', path)).body.items.length, 1);
    },
  },
  {
    op: 'PATCH /v1/clusters/{clusterId}/node-pools/{poolName}',
    async happy({ fx, call }) {
      const c = await fx.freshCluster();
      const r = await call('A', 'PATCH', `/v1/clusters/${c.id}/node-pools/default`, { body: { labels: { team: 'a' } } });
      assert.equal(r.status, 202);
      assert.deepEqual([r.body.labels, r.body.status, r.body.operation.type], [{ team: 'a' }, 'RECONCILING', 'UPDATE_NODE_POOL']);
      assert.equal((await call('A', 'GET', `/v1/clusters/${c.id}`)).body.status, 'UPDATING');
    },
    async error({ fx, call }) {
      const c = await fx.freshCluster();
      const path = `/v1/clusters/${c.id}/node-pools/default`;
      assertError(await call('A', 'PATCH', path, { body: { count: -1 } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'PATCH', path, { body: { flavour: 'large' } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'PATCH', `/v1/clusters/${c.id}/node-pools/nope`, { body: { count: 1 } }), 404, 'NOT_FOUND');
      assert.equal((await call('A', 'PATCH', path, { body: { count: 3, maxCount: 3 } })).status, 202);
      assertError(await call('A', 'PATCH', path, { body: { count: 1 } }), 409, 'CONFLICT');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/node-pools/default`;
      assertHidden(await call('B', 'PATCH', path, { body: { count: 1, labels: { owned: 'by-b' } } }), fx, path);
      const pool = await call('A', 'GET', path);
      assert.deepEqual([pool.body.count, pool.body.labels, pool.body.status], [2, {}, 'READY']);
    },
  },
  {
    op: 'DELETE /v1/clusters/{clusterId}/node-pools/{poolName}',
    async happy({ fx, call }) {
      const c = await fx.freshCluster({ nodePools: [{ name: 'default', instanceType: 'm5.large', count: 1 }, extraPool] });
      const r = await call('A', 'DELETE', `/v1/clusters/${c.id}/node-pools/extra`);
      assert.equal(r.status, 202);
      assert.deepEqual([r.body.name, r.body.status, r.body.operation.type], ['extra', 'DELETING', 'DELETE_NODE_POOL']);
    },
    async error({ fx, call }) {
      const c = await fx.freshCluster({ nodePools: [{ name: 'default', instanceType: 'm5.large', count: 1 }, extraPool] });
      assertError(await call('A', 'DELETE', `/v1/clusters/${c.id}/node-pools/nope`), 404, 'NOT_FOUND');
      assert.equal((await call('A', 'DELETE', `/v1/clusters/${c.id}/node-pools/extra`)).status, 202);
      assertError(await call('A', 'DELETE', `/v1/clusters/${c.id}/node-pools/default`), 409, 'CONFLICT');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/node-pools/default`;
      assertHidden(await call('B', 'DELETE', path), fx, path);
      assert.equal((await call('A', 'GET', path)).body.status, 'READY');
    },
  },
  {
    op: 'POST /v1/clusters/{clusterId}:upgrade',
    async happy({ fx, call }) {
      const c = await fx.freshCluster();
      const r = await call('A', 'POST', `/v1/clusters/${c.id}:upgrade`, { body: { kubernetesVersion: '1.33' } });
      assert.equal(r.status, 202);
      assert.deepEqual([r.body.status, r.body.operation.type], ['UPDATING', 'UPGRADE_CLUSTER']);
      // Its first step moves the control plane; the node-pool controller then replaces the nodes.
      await fx.app.runOperation(r.body.operation.id);
      assert.equal((await call('A', 'GET', `/v1/clusters/${c.id}`)).body.kubernetesVersion, '1.33');
    },
    async error({ fx, call }) {
      const c = await fx.freshCluster();
      const path = `/v1/clusters/${c.id}:upgrade`;
      assertError(await call('A', 'POST', path, { body: { kubernetesVersion: '1.31' } }), 422, 'VALIDATION_FAILED', /downgrad|1\.31/i);
      assertError(await call('A', 'POST', path, { body: { kubernetesVersion: 'latest' } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'POST', path, { rawBody: '{', headers: { 'content-type': 'application/json' } }), 400, 'BAD_REQUEST');
      assertError(await call('A', 'POST', path, { rawBody: 'v=1.33', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      assertError(await call('A', 'POST', '/v1/clusters/cls_0000000000000000:upgrade', { body: { kubernetesVersion: '1.33' } }), 404, 'NOT_FOUND');
      assert.equal((await call('A', 'POST', path, { body: { kubernetesVersion: '1.33' } })).status, 202);
      assertError(await call('A', 'POST', path, { body: { kubernetesVersion: '1.33' } }), 409, 'CONFLICT');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}:upgrade`;
      assertHidden(await call('B', 'POST', path, { body: { kubernetesVersion: '1.33' } }), fx, path);
      assert.equal((await call('A', 'GET', `/v1/clusters/${fx.A.cluster.id}`)).body.kubernetesVersion, '1.32');
    },
  },
];
