import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { InProcessApp } from '../../helpers/app.ts';
import { assertError, assertHidden, type RouteCase } from '../route-case.ts';

/** The bearer token a kubeconfig carries. */
const tokenOf = (kubeconfig: string): string => parse(kubeconfig).users[0].user.token;

/** What the cluster's Kubernetes API answers `token` on a namespace's pods. */
const podsStatus = async (app: InProcessApp, clusterId: string, token: string, namespace = 'default') =>
  (await app.request('GET', `/clusters/${clusterId}/k8s/api/v1/namespaces/${namespace}/pods`, { token })).status;

/** Kubeconfigs, their rotation, and namespace tokens for a cluster's Kubernetes API. */
export const accessCases: RouteCase[] = [
  {
    op: 'GET /v1/clusters/{clusterId}/kubeconfig',
    async happy({ fx, call }) {
      const r = await call('A.developer', 'GET', `/v1/clusters/${fx.A.cluster.id}/kubeconfig`);
      assert.equal(r.status, 200);
      assert.match(r.headers['content-type'] as string, /^application\/yaml/);
      const config = parse(r.text);
      assert.equal(config['current-context'], `kates-${fx.A.cluster.name}`);
      assert.equal(await podsStatus(fx.app, fx.A.cluster.id, tokenOf(r.text)), 200);
    },
    async error({ fx, call }) {
      assertError(await call('A', 'GET', '/v1/clusters/cls_0000000000000000/kubeconfig'), 404, 'NOT_FOUND');
      // A cluster being deleted hands out no new credentials.
      const c = await fx.freshCluster();
      await call('A', 'DELETE', `/v1/clusters/${c.id}`);
      assertError(await call('A', 'GET', `/v1/clusters/${c.id}/kubeconfig`), 409, 'CONFLICT');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/kubeconfig`;
      assertHidden(await call('B', 'GET', path), fx, path);
    },
  },
  {
    op: 'POST /v1/clusters/{clusterId}/kubeconfig:rotate',
    async happy({ fx, call }) {
      const c = await fx.freshCluster();
      const old = tokenOf((await call('A', 'GET', `/v1/clusters/${c.id}/kubeconfig`)).text);
      const r = await call('A', 'POST', `/v1/clusters/${c.id}/kubeconfig:rotate`);
      assert.equal(r.status, 200);
      assert.equal(await podsStatus(fx.app, c.id, old), 401, 'the old kubeconfig is revoked');
      assert.equal(await podsStatus(fx.app, c.id, tokenOf(r.text)), 200);
    },
    async error({ fx, call }) {
      assertError(await call('A', 'POST', '/v1/clusters/cls_0000000000000000/kubeconfig:rotate'), 404, 'NOT_FOUND');
      assertError(await call('A.developer', 'POST', `/v1/clusters/${fx.A.cluster.id}/kubeconfig:rotate`), 403, 'FORBIDDEN');
      const c = await fx.freshCluster();
      await call('A', 'DELETE', `/v1/clusters/${c.id}`);
      assertError(await call('A', 'POST', `/v1/clusters/${c.id}/kubeconfig:rotate`), 409, 'CONFLICT');
    },
    async isolation({ fx, call }) {
      const kubeconfig = tokenOf((await call('A', 'GET', `/v1/clusters/${fx.A.cluster.id}/kubeconfig`)).text);
      const path = `/v1/clusters/${fx.A.cluster.id}/kubeconfig:rotate`;
      assertHidden(await call('B', 'POST', path), fx, path);
      assert.equal(await podsStatus(fx.app, fx.A.cluster.id, kubeconfig), 200, "A's kubeconfig still works");
    },
  },
  {
    op: 'POST /v1/clusters/{clusterId}/tokens',
    async happy({ fx, call }) {
      const r = await call('A', 'POST', `/v1/clusters/${fx.A.cluster.id}/tokens`, { body: { role: 'view', namespaces: ['default'], name: 'dashboard' } });
      assert.equal(r.status, 201);
      assert.deepEqual([r.body.role, r.body.namespaces], ['view', ['default']]);
      assert.equal(await podsStatus(fx.app, fx.A.cluster.id, r.body.token, 'default'), 200);
      assert.equal(await podsStatus(fx.app, fx.A.cluster.id, r.body.token, 'kube-system'), 403, 'only its own namespaces');
    },
    async error({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/tokens`;
      assertError(await call('A', 'POST', path, { body: { role: 'cluster-admin', namespaces: ['default'] } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'POST', path, { body: { role: 'view', namespaces: [] } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'POST', '/v1/clusters/cls_0000000000000000/tokens', { body: { role: 'view', namespaces: ['default'] } }), 404, 'NOT_FOUND');
      const c = await fx.freshCluster();
      await call('A', 'DELETE', `/v1/clusters/${c.id}`);
      assertError(await call('A', 'POST', `/v1/clusters/${c.id}/tokens`, { body: { role: 'view', namespaces: ['default'] } }), 409, 'CONFLICT');
    },
    async isolation({ fx, call }) {
      const path = `/v1/clusters/${fx.A.cluster.id}/tokens`;
      assertHidden(await call('B', 'POST', path, { body: { role: 'edit', namespaces: ['default'] } }), fx, path);
    },
  },
];
