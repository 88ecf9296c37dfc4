import assert from 'node:assert/strict';
import { assertError, assertHidden, assertNothingOfA, type RouteCase } from '../route-case.ts';

const plannedCluster = { name: 'shop', provider: 'eks', region: 'us-east-1', nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }], hours: 730 };

/** Estimates and the version calendar (public facts, every tenant role), and operations. */
export const catalogAndOperationCases: RouteCase[] = [
  {
    op: 'POST /v1/estimates',
    async happy({ call }) {
      const r = await call('A.viewer', 'POST', '/v1/estimates', { body: plannedCluster });
      assert.equal(r.status, 200);
      assert.equal(r.body.name, 'shop');
      // 730 h × ($0.10 control plane + 3 × $0.096 m5.large) on EKS standard.
      const eks = r.body.results.find((x: { provider: string; tier: string }) => x.provider === 'eks' && x.tier === 'standard');
      assert.equal(eks.total.amount, '283.24', JSON.stringify(eks));
    },
    async error({ call }) {
      assertError(
        await call('A', 'POST', '/v1/estimates', { body: { ...plannedCluster, nodePools: [{ instanceType: 'z9.huge', count: 1 }] } }),
        422,
        'VALIDATION_FAILED',
      );
      assertError(await call('A', 'POST', '/v1/estimates', { body: { ...plannedCluster, hours: 0 } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'POST', '/v1/estimates', { rawBody: 'hours=1', headers: { 'content-type': 'application/json' } }), 400, 'BAD_REQUEST');
      assertError(await call('admin', 'POST', '/v1/estimates', { body: plannedCluster }), 403, 'FORBIDDEN');
    },
    async isolation({ fx, call }) {
      // An estimate reads no tenant's data: B is answered exactly as A is.
      const a = await call('A', 'POST', '/v1/estimates', { body: plannedCluster });
      const b = await call('B', 'POST', '/v1/estimates', { body: plannedCluster });
      const totals = (r: typeof a) =>
        r.body.results.map((x: { provider: string; tier: string; total: { amount: string } }) => [x.provider, x.tier, x.total.amount]);
      assert.deepEqual(totals(b), totals(a));
      assertNothingOfA(b, fx);
    },
  },
  {
    op: 'GET /v1/kubernetes-versions',
    async happy({ call }) {
      const r = await call('A.billing', 'GET', '/v1/kubernetes-versions?provider=gke');
      assert.equal(r.status, 200);
      assert.ok(r.body.items.length > 0 && r.body.items.every((v: { provider: string }) => v.provider === 'gke'));
      assert.equal(r.body.sources.length, 1);
      assert.ok(r.body.items.some((v: { version: string }) => v.version === '1.32'));
    },
    async error({ call }) {
      assertError(await call('A', 'GET', '/v1/kubernetes-versions?provider=ibm'), 422, 'VALIDATION_FAILED');
      assertError(await call('admin', 'GET', '/v1/kubernetes-versions'), 403, 'FORBIDDEN');
    },
    async isolation({ fx, call }) {
      const a = await call('A', 'GET', '/v1/kubernetes-versions');
      const b = await call('B', 'GET', '/v1/kubernetes-versions');
      assert.deepEqual(b.body, a.body);
      assertNothingOfA(b, fx);
    },
  },
  {
    op: 'GET /v1/operations',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/operations?clusterId=${fx.A.cluster.id}`);
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.body.items.map((o: { id: string; type: string; status: string }) => [o.id, o.type, o.status]),
        [[fx.A.cluster.operationId, 'CREATE_CLUSTER', 'SUCCEEDED']],
      );
      const first = await call('A', 'GET', '/v1/operations?limit=1');
      assert.equal(first.body.items.length, 1);
      const next = await call('A', 'GET', `/v1/operations?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      assert.notEqual(next.body.items[0].id, first.body.items[0].id);
    },
    async error({ call }) {
      assertError(await call('A', 'GET', '/v1/operations?limit=500'), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', '/v1/operations?cursor=x'), 400, 'BAD_REQUEST');
      assertError(await call('A.billing', 'GET', '/v1/operations'), 403, 'FORBIDDEN');
    },
    async isolation({ fx, call }) {
      const all = await call('B', 'GET', '/v1/operations?limit=200');
      assert.equal(all.status, 200);
      assertNothingOfA(all, fx);
      const aimed = await call('B', 'GET', `/v1/operations?clusterId=${fx.A.cluster.id}`);
      assert.deepEqual(aimed.body, { items: [], nextCursor: null });
    },
  },
  {
    op: 'GET /v1/operations/{operationId}',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/operations/${fx.A.cluster.operationId}`);
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.clusterId, r.body.type, r.body.status, r.body.error], [fx.A.cluster.id, 'CREATE_CLUSTER', 'SUCCEEDED', null]);
      assert.ok(r.body.startedAt && r.body.finishedAt);
    },
    async error({ call }) {
      assertError(await call('A', 'GET', '/v1/operations/op_0000000000000000'), 404, 'NOT_FOUND');
    },
    async isolation({ fx, call }) {
      const path = `/v1/operations/${fx.A.cluster.operationId}`;
      assertHidden(await call('B', 'GET', path), fx, path);
    },
  },
];
