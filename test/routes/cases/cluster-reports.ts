import assert from 'node:assert/strict';
import type { Caller } from '../fixture.ts';
import { assertError, assertHidden, type RouteCase, type RouteContext } from '../route-case.ts';

/** A GET about one of A's clusters that B must not see: the isolation case of every cluster report. */
const hiddenFromB =
  (suffix: string) =>
  async ({ fx, call }: RouteContext) => {
    const path = `/v1/clusters/${fx.A.cluster.id}${suffix}`;
    assertHidden(await call('B', 'GET', path), fx, path);
  };

/** The same report of an unknown cluster is 404. */
const unknownCluster = async (call: RouteContext['call'], suffix: string, as: Caller = 'A') =>
  assertError(await call(as, 'GET', `/v1/clusters/cls_0000000000000000${suffix}`), 404, 'NOT_FOUND');

const webTraffic = { services: [{ namespace: 'default', name: 'web', rps: 10, cpuPerRequest: '5m' }] };

/** Monitoring, autoscaler, traffic, cloud faults and cost reports of one cluster. */
export const clusterReportCases: RouteCase[] = [
  {
    op: 'GET /v1/clusters/{clusterId}/monitoring',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/clusters/${fx.A.cluster.id}/monitoring?range=15m&step=1m`);
      assert.equal(r.status, 200);
      assert.equal(r.body.clusterId, fx.A.cluster.id);
      assert.equal(r.body.stepSeconds, 60);
      assert.equal(r.body.timestamps.length, 16);
    },
    async error({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/monitoring`;
      assertError(await call('A', 'GET', `${path}?step=fast`), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', `${path}?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', `${path}?range=30d&step=1s`), 422, 'VALIDATION_FAILED');
      await unknownCluster(call, '/monitoring');
    },
    isolation: hiddenFromB('/monitoring'),
  },
  {
    op: 'GET /v1/clusters/{clusterId}/health',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/clusters/${fx.A.cluster.id}/health`);
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.clusterId, r.body.clusterStatus, r.body.nodes.total], [fx.A.cluster.id, 'RUNNING', 2]);
    },
    async error({ call }) {
      await unknownCluster(call, '/health');
    },
    isolation: hiddenFromB('/health'),
  },
  {
    op: 'GET /v1/clusters/{clusterId}/events',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/clusters/${fx.A.cluster.id}/events?limit=50`);
      assert.equal(r.status, 200);
      assert.equal(r.body.clusterId, fx.A.cluster.id);
      assert.ok(r.body.items.length <= 50);
      const warnings = await call('A', 'GET', `/v1/clusters/${fx.A.cluster.id}/events?type=Warning`);
      assert.ok(warnings.body.items.every((e: { type: string }) => e.type === 'Warning'));
    },
    async error({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/events`;
      assertError(await call('A', 'GET', `${path}?limit=0`), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', `${path}?source=gossip`), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', `${path}?since=yesterday`), 422, 'VALIDATION_FAILED');
      await unknownCluster(call, '/events');
    },
    isolation: hiddenFromB('/events'),
  },
  {
    op: 'GET /v1/clusters/{clusterId}/autoscaler/status',
    async happy({ fx, call }) {
      // No pool autoscales, so the autoscaler has not looked yet: an idle report with the settings.
      const r = await call('A.viewer', 'GET', `/v1/clusters/${fx.A.cluster.id}/autoscaler/status`);
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.lastRun, r.body.scaleUp.status, r.body.settings.scaleDownEnabled], [null, 'NoActivity', true]);
    },
    async error({ call }) {
      await unknownCluster(call, '/autoscaler/status');
    },
    isolation: hiddenFromB('/autoscaler/status'),
  },
  {
    op: 'GET /v1/clusters/{clusterId}/autoscaler/events',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/clusters/${fx.A.cluster.id}/autoscaler/events?limit=10`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { items: [], nextCursor: null });
    },
    async error({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/autoscaler/events`;
      assertError(await call('A', 'GET', `${path}?limit=0`), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', `${path}?cursor=abc`), 422, 'VALIDATION_FAILED');
      await unknownCluster(call, '/autoscaler/events');
    },
    isolation: hiddenFromB('/autoscaler/events'),
  },
  {
    op: 'GET /v1/clusters/{clusterId}/autoscaler/settings',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/clusters/${fx.A.cluster.id}/autoscaler/settings`);
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.expander, r.body.scaleDownEnabled, r.body.dryRun], ['least-waste', true, false]);
    },
    async error({ call }) {
      await unknownCluster(call, '/autoscaler/settings');
    },
    isolation: hiddenFromB('/autoscaler/settings'),
  },
  {
    op: 'PUT /v1/clusters/{clusterId}/autoscaler/settings',
    async happy({ fx, call }) {
      const c = await fx.freshCluster();
      const r = await call('A.developer', 'PUT', `/v1/clusters/${c.id}/autoscaler/settings`, {
        body: { expander: 'priority,random', scaleDownEnabled: false },
      });
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.expander, r.body.scaleDownEnabled], ['priority,random', false]);
      // Fields left out take their defaults again.
      const again = await call('A', 'PUT', `/v1/clusters/${c.id}/autoscaler/settings`, { body: { dryRun: true } });
      assert.deepEqual([again.body.expander, again.body.scaleDownEnabled, again.body.dryRun], ['least-waste', true, true]);
      assert.deepEqual((await call('A', 'GET', `/v1/clusters/${c.id}/autoscaler/settings`)).body, again.body);
    },
    async error({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/autoscaler/settings`;
      assertError(await call('A', 'PUT', path, { body: { expander: 'cheapest' } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'PUT', path, { body: { scanIntervalSeconds: 0 } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'PUT', path, { body: { turbo: true } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'PUT', '/v1/clusters/cls_0000000000000000/autoscaler/settings', { body: {} }), 404, 'NOT_FOUND');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/autoscaler/settings`;
      assertHidden(await call('B', 'PUT', path, { body: { dryRun: true } }), fx, path);
      assert.equal((await call('A', 'GET', path)).body.dryRun, false);
    },
  },
  {
    op: 'GET /v1/clusters/{clusterId}/traffic',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/clusters/${fx.A.cluster.id}/traffic`);
      assert.equal(r.status, 200);
      assert.deepEqual([r.body.services, r.body.updatedAt], [[], null]);
      assert.ok(r.body.clusterTime);
    },
    async error({ call }) {
      await unknownCluster(call, '/traffic');
    },
    isolation: hiddenFromB('/traffic'),
  },
  {
    op: 'PUT /v1/clusters/{clusterId}/traffic',
    async happy({ fx, call }) {
      const c = await fx.freshCluster();
      const r = await call('A', 'PUT', `/v1/clusters/${c.id}/traffic`, { body: webTraffic });
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.body.services.map((s: { name: string; rps: number }) => [s.name, s.rps]),
        [['web', 10]],
      );
      assert.ok(r.body.updatedAt);
      assert.deepEqual((await call('A', 'GET', `/v1/clusters/${c.id}/traffic`)).body.services, r.body.services);
    },
    async error(t) {
      const { fx, call } = t;
      const path = `/v1/clusters/${fx.A.cluster.id}/traffic`;
      assertError(await call('A', 'PUT', path, { body: { services: [{ ...webTraffic.services[0], rps: -1 }] } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'PUT', path, { body: { services: [webTraffic.services[0], webTraffic.services[0]] } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'PUT', '/v1/clusters/cls_0000000000000000/traffic', { body: webTraffic }), 404, 'NOT_FOUND');
      const c = await fx.freshCluster();
      await call('A', 'DELETE', `/v1/clusters/${c.id}`);
      assertError(await call('A', 'PUT', `/v1/clusters/${c.id}/traffic`, { body: webTraffic }), 409, 'CONFLICT');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/traffic`;
      assertHidden(await call('B', 'PUT', path, { body: webTraffic }), fx, path);
      assert.deepEqual((await call('A', 'GET', path)).body.services, []);
    },
  },
  {
    op: 'GET /v1/clusters/{clusterId}/cloud-faults',
    async happy({ fx, call }) {
      const r = await call('A.viewer', 'GET', `/v1/clusters/${fx.A.cluster.id}/cloud-faults`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { nodePools: [] });
    },
    async error({ call }) {
      await unknownCluster(call, '/cloud-faults');
    },
    isolation: hiddenFromB('/cloud-faults'),
  },
  {
    op: 'PUT /v1/clusters/{clusterId}/cloud-faults',
    async happy({ fx, call }) {
      const c = await fx.freshCluster();
      const faults = { nodePools: [{ nodePool: 'default', fault: 'out-of-capacity', capacity: 2 }] };
      const r = await call('A', 'PUT', `/v1/clusters/${c.id}/cloud-faults`, { body: faults });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, faults);
      assert.deepEqual((await call('A', 'GET', `/v1/clusters/${c.id}/cloud-faults`)).body, faults);
      // An empty list heals every pool.
      assert.deepEqual((await call('A', 'PUT', `/v1/clusters/${c.id}/cloud-faults`, { body: { nodePools: [] } })).body, { nodePools: [] });
    },
    async error(t) {
      const { fx, call } = t;
      const path = `/v1/clusters/${fx.A.cluster.id}/cloud-faults`;
      const unknownPool = await call('A', 'PUT', path, { body: { nodePools: [{ nodePool: 'gpu', fault: 'quota-exceeded' }] } });
      assertError(unknownPool, 422, 'VALIDATION_FAILED');
      assert.equal(unknownPool.body.error.details.issues[0].field, 'nodePools.0.nodePool');
      assertError(await call('A', 'PUT', path, { body: { nodePools: [{ nodePool: 'default', fault: 'meteor' }] } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'PUT', '/v1/clusters/cls_0000000000000000/cloud-faults', { body: { nodePools: [] } }), 404, 'NOT_FOUND');
      const c = await fx.freshCluster();
      await call('A', 'DELETE', `/v1/clusters/${c.id}`);
      assertError(await call('A', 'PUT', `/v1/clusters/${c.id}/cloud-faults`, { body: { nodePools: [] } }), 409, 'CONFLICT');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/cloud-faults`;
      assertHidden(await call('B', 'PUT', path, { body: { nodePools: [{ nodePool: 'default', fault: 'api-error' }] } }), fx, path);
      assert.deepEqual((await call('A', 'GET', path)).body, { nodePools: [] });
    },
  },
  {
    op: 'GET /v1/clusters/{clusterId}/costs',
    async happy({ fx, call }) {
      const r = await call('A.billing', 'GET', `/v1/clusters/${fx.A.cluster.id}/costs?groupBy=namespace&shareIdle=weighted`);
      assert.equal(r.status, 200);
      assert.equal(r.body.clusterId, fx.A.cluster.id);
    },
    async error({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/costs`;
      assertError(await call('A', 'GET', `${path}?groupBy=team`), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', `${path}?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`), 422, 'VALIDATION_FAILED');
      assertError(await call('A.viewer', 'GET', path), 403, 'FORBIDDEN');
      await unknownCluster(call, '/costs', 'A.billing');
    },
    isolation: hiddenFromB('/costs'),
  },
  {
    op: 'GET /v1/clusters/{clusterId}/costs/compare',
    async happy({ fx, call }) {
      const r = await call('A.billing', 'GET', `/v1/clusters/${fx.A.cluster.id}/costs/compare?upgradeMinutesPerBatch=10`);
      assert.equal(r.status, 200);
      assert.ok(
        r.body.results.some((x: { provider: string }) => x.provider === 'gke'),
        r.text.slice(0, 300),
      );
      assert.ok(r.body.upgradePlan.length > 0);
    },
    async error({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/costs/compare`;
      assertError(await call('A', 'GET', `${path}?upgradeMinutesPerBatch=0`), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', `${path}?currency=EUR`), 422, 'VALIDATION_FAILED');
      await unknownCluster(call, '/costs/compare');
    },
    isolation: hiddenFromB('/costs/compare'),
  },
];
