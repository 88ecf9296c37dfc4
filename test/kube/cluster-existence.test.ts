import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';

/**
 * A caller without a token of the cluster cannot tell whether a cluster id exists: every path of
 * `/clusters/{id}/k8s` answers the same for a real cluster and an unknown id (401 Status, or for
 * `/version` the service's default version). With the cluster's own token `/version` reports the
 * cluster's version, which is what kubectl's dispatcher reads to pick its binary.
 */
let h: Harness;
let owner: { id: string; key: string; token: string };
let cluster: { id: string };
let otherClusterToken: string;
const UNKNOWN = 'cls_0000000000000000';

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
  cluster = await h.runningCluster(owner.token, { ...defaultClusterBody(), kubernetesVersion: '1.28' });
  const other = await h.runningCluster(owner.token);
  otherClusterToken = parse((await h.request('GET', `/v1/clusters/${other.id}/kubeconfig`, { token: owner.token })).text).users[0].user.token;
});
after(() => h.stop());

const PATHS = [
  '/version',
  '/version?timeout=5s',
  '/api',
  '/apis',
  '/api/v1',
  '/apis/apps/v1',
  '/api/v1/namespaces',
  '/api/v1/namespaces/default/pods/nope',
  '/api/v1/namespaces/default/configmaps?watch=true',
  '/apis/apps/v1/namespaces/default/deployments',
  '/openapi/v2',
  '/openapi/v3',
  '/openapi/v3/apis/apps/v1',
  '/metrics',
  '/healthz',
  '/no/such/path',
];

async function answer(clusterId: string, path: string, token?: string) {
  const r = await h.request('GET', `/clusters/${clusterId}/k8s${path}`, { token });
  return { status: r.status, contentType: r.headers['content-type'], body: r.text };
}

test("without a token, with a bad one or with another cluster's, a real cluster and an unknown id answer alike", async () => {
  for (const token of [undefined, 'garbage', otherClusterToken]) {
    for (const path of PATHS) {
      const real = await answer(cluster.id, path, token);
      const unknown = await answer(UNKNOWN, path, token);
      assert.deepEqual(real, unknown, `${path} with ${token ? token.slice(0, 8) : 'no token'}`);
      if (path.startsWith('/api') || path.startsWith('/openapi') || path === '/metrics') {
        assert.equal(real.status, 401, path);
        assert.deepEqual(
          JSON.parse(real.body),
          { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 },
          path,
        );
      }
    }
  }
  const version = JSON.parse((await answer(UNKNOWN, '/version')).body);
  assert.equal(version.minor, '32', "the default version, not the 1.28 cluster's");
});

test("with the cluster's token /version reports its version, and kubectl's dispatcher runs the matching binary", async () => {
  const kubeconfig = await h.kubeconfig(owner.token, cluster.id);
  const token = parse((await h.request('GET', `/v1/clusters/${cluster.id}/kubeconfig`, { token: owner.token })).text).users[0].user.token;
  const own = await answer(cluster.id, '/version', token);
  assert.equal(own.status, 200);
  assert.equal(JSON.parse(own.body).minor, '28');
  const v = await h.kubectl(kubeconfig, ['version', '-o', 'json']);
  assert.equal(v.code, 0, v.stderr);
  const out = JSON.parse(v.stdout);
  assert.equal(out.serverVersion.minor, '28');
  assert.equal(out.clientVersion.minor, '28');
  assert.equal((await h.kubectl(kubeconfig, ['get', 'namespaces', '-o', 'name'])).code, 0);
});

test('the management API does not tell either: an unknown id and a real one are both 401 without a token', async () => {
  const real = await h.request('GET', `/v1/clusters/${cluster.id}`);
  const unknown = await h.request('GET', `/v1/clusters/${UNKNOWN}`);
  assert.equal(real.status, 401);
  assert.equal(unknown.status, 401);
  assert.deepEqual({ ...real.body.error, requestId: undefined }, { ...unknown.body.error, requestId: undefined });
});
