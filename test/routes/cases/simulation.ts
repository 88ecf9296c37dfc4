import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { clusters } from '../../../src/store/schema/index.ts';
import { FAILED_ANNOTATION } from '../../../src/kubelet/node-state.ts';
import type { Fixture } from '../fixture.ts';
import { assertError, assertHidden, type RouteCase, type RouteContext } from '../route-case.ts';

const nodeOf = async (fx: Fixture, clusterId: string) => (await fx.app.runtime.deps.store.list(clusterId, 'nodes')).items[0].metadata.name!;
const failedAt = async (fx: Fixture, clusterId: string, node: string) =>
  (await fx.app.runtime.deps.store.get(clusterId, 'nodes', '', node))?.metadata.annotations?.[FAILED_ANNOTATION];

/** A cluster of A whose DELETE operation is accepted but not run: it reads DELETING. */
async function deletingCluster({ fx, call }: RouteContext) {
  const c = await fx.freshCluster();
  await call('A', 'DELETE', `/v1/clusters/${c.id}`);
  return c;
}

/** Node chaos, in-cluster DNS and the cluster's own clock. */
export const simulationCases: RouteCase[] = [
  {
    op: 'POST /v1/clusters/{clusterId}/nodes/{nodeAction}',
    async happy({ fx, call }) {
      const c = await fx.freshCluster();
      const node = await nodeOf(fx, c.id);
      const fail = await call('A', 'POST', `/v1/clusters/${c.id}/nodes/${node}:fail`);
      assert.equal(fail.status, 200);
      assert.deepEqual([fail.body.node, fail.body.failed], [node, true]);
      assert.ok(await failedAt(fx, c.id, node));
      const recover = await call('A', 'POST', `/v1/clusters/${c.id}/nodes/${node}:recover`);
      assert.deepEqual([recover.status, recover.body.failed], [200, false]);
      assert.equal(await failedAt(fx, c.id, node), undefined);
    },
    async error(t) {
      const { fx, call } = t;
      assertError(await call('A', 'POST', `/v1/clusters/${fx.A.cluster.id}/nodes/no-such-node:fail`), 404, 'NOT_FOUND');
      assertError(await call('A', 'POST', `/v1/clusters/${fx.A.cluster.id}/nodes/${fx.A.cluster.node}:explode`), 422, 'VALIDATION_FAILED');
      const c = await deletingCluster(t);
      assertError(await call('A', 'POST', `/v1/clusters/${c.id}/nodes/${await nodeOf(fx, c.id)}:fail`), 409, 'CONFLICT');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/nodes/${fx.A.cluster.node}:fail`;
      assertHidden(await call('B', 'POST', path), fx, path);
      assert.equal(await failedAt(fx, fx.A.cluster.id, fx.A.cluster.node), undefined);
    },
  },
  {
    op: 'GET /v1/clusters/{clusterId}/dns',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/clusters/${fx.A.cluster.id}/dns?name=kubernetes.default.svc.cluster.local&type=A`);
      assert.equal(r.status, 200);
      assert.equal(r.body.status, 'NOERROR');
      assert.equal(r.body.answers[0].data, '10.96.0.1');
      const short = await call('A', 'GET', `/v1/clusters/${fx.A.cluster.id}/dns?name=kubernetes&namespace=default`);
      assert.equal(short.body.answers[0]?.data, '10.96.0.1', short.text);
      const missing = await call('A', 'GET', `/v1/clusters/${fx.A.cluster.id}/dns?name=nope.default.svc.cluster.local`);
      assert.equal(missing.body.status, 'NXDOMAIN');
    },
    async error(t) {
      const { fx, call } = t;
      assertError(await call('A', 'GET', `/v1/clusters/${fx.A.cluster.id}/dns`), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', `/v1/clusters/${fx.A.cluster.id}/dns?name=kubernetes&type=MX`), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', '/v1/clusters/cls_0000000000000000/dns?name=kubernetes'), 404, 'NOT_FOUND');
      const c = await deletingCluster(t);
      assertError(await call('A', 'GET', `/v1/clusters/${c.id}/dns?name=kubernetes.default.svc.cluster.local`), 409, 'CONFLICT');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/dns?name=kubernetes.default.svc.cluster.local`;
      assertHidden(await call('B', 'GET', path), fx, path);
    },
  },
  {
    op: 'POST /v1/clusters/{clusterId}/clock:advance',
    async happy({ fx, call }) {
      const c = await fx.freshCluster();
      const before = await fx.app.runtime.deps.store.clusterNow(c.id);
      const r = await call('A', 'POST', `/v1/clusters/${c.id}/clock:advance`, { body: { seconds: 600 } });
      assert.equal(r.status, 200);
      assert.equal(r.body.skewSeconds, 600);
      assert.ok(Date.parse(r.body.clusterTime) - before >= 600_000, r.text);
      assert.ok((await fx.app.runtime.deps.store.clusterNow(c.id)) - before >= 600_000);
    },
    async error(t) {
      const { fx, call } = t;
      const path = `/v1/clusters/${fx.A.cluster.id}/clock:advance`;
      assertError(await call('A', 'POST', path, { body: { seconds: -1 } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'POST', path, { body: { seconds: 31 * 24 * 3600 } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'POST', path, { body: {} }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'POST', '/v1/clusters/cls_0000000000000000/clock:advance', { body: { seconds: 1 } }), 404, 'NOT_FOUND');
      const c = await deletingCluster(t);
      assertError(await call('A', 'POST', `/v1/clusters/${c.id}/clock:advance`, { body: { seconds: 1 } }), 409, 'CONFLICT');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/clock:advance`;
      assertHidden(await call('B', 'POST', path, { body: { seconds: 86_400 } }), fx, path);
      const row = await fx.app.runtime.deps.database.db.select().from(clusters).where(eq(clusters.id, fx.A.cluster.id)).get();
      assert.equal(row!.clockSkewMs, 0);
    },
  },
];
