import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { decodeJwt } from './helpers/forge.ts';

/** Kubeconfigs: the cluster's URL, the service's CA, a token bound to one cluster; rotation revokes them all. */
let h: Harness;
let owner: { id: string; key: string; token: string };
let cluster: { id: string; name: string };

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
  cluster = await h.runningCluster(owner.token);
});
after(() => h.stop());

/** Calls the cluster's Kubernetes API with a bare bearer token. */
const kubeGet = (path: string, token: string) => h.request('GET', `/clusters/${cluster.id}/k8s${path}`, { token });

test('the kubeconfig points at the cluster, trusts the service CA and carries a token for this cluster only', async () => {
  const r = await h.request('GET', `/v1/clusters/${cluster.id}/kubeconfig`, { token: owner.token });
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^application\/yaml/);
  const config = parse(r.text);
  assert.equal(config.kind, 'Config');
  const context = config.contexts.find((c: { name: string }) => c.name === config['current-context']).context;
  const entry = config.clusters.find((c: { name: string }) => c.name === context.cluster).cluster;
  assert.equal(entry.server, h.url, 'a server without a path, as managed clusters give');
  assert.equal(atob(entry['certificate-authority-data']), h.runtime.deps.caCert);
  const token = config.users.find((u: { name: string }) => u.name === context.user).user.token;
  const { payload } = decodeJwt(token);
  assert.equal(payload.aud, `kates-cluster:${cluster.id}`);
  assert.equal(payload.tid, owner.id);
  assert.equal(payload.role, 'cluster-admin');
  const path = await h.kubeconfig(owner.token, cluster.id);
  const version = await h.kubectl(path, ['version', '-o', 'json']);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(JSON.parse(version.stdout).serverVersion.minor, '32');
});

test('a kubeconfig token opens only its own cluster', async () => {
  const other = await h.runningCluster(owner.token);
  const otherConfig = parse((await h.request('GET', `/v1/clusters/${other.id}/kubeconfig`, { token: owner.token })).text);
  const otherToken = otherConfig.users[0].user.token;
  assert.equal((await h.request('GET', `/clusters/${other.id}/k8s/api/v1/namespaces`, { token: otherToken })).status, 200);
  const wrong = await kubeGet('/api/v1/namespaces', otherToken);
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.kind, 'Status');
  // Nor does a management API token.
  assert.equal((await kubeGet('/api/v1/namespaces', owner.token)).status, 401);
});

test('rotation revokes every earlier kubeconfig and namespace token: kubectl with the old file fails, with the new one works', async () => {
  const oldPath = await h.kubeconfig(owner.token, cluster.id);
  assert.equal((await h.kubectl(oldPath, ['get', 'namespaces'])).code, 0);
  const scoped = await h.request('POST', `/v1/clusters/${cluster.id}/tokens`, { token: owner.token, body: { role: 'view', namespaces: ['default'] } });
  assert.equal(scoped.status, 201);
  assert.equal((await kubeGet('/api/v1/namespaces/default/pods', scoped.body.token)).status, 200);

  const rotated = await h.request('POST', `/v1/clusters/${cluster.id}/kubeconfig:rotate`, { token: owner.token });
  assert.equal(rotated.status, 200);
  const newPath = join(h.dataDir, `kubeconfig-rotated-${cluster.id}`);
  writeFileSync(newPath, rotated.text);

  const refused = await h.kubectl(oldPath, ['get', 'namespaces']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /Unauthorized|must be logged in/);
  assert.equal((await kubeGet('/api/v1/namespaces/default/pods', scoped.body.token)).status, 401);
  const accepted = await h.kubectl(newPath, ['get', 'namespaces', '-o', 'name']);
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.match(accepted.stdout, /namespace\/default/);
  // A kubeconfig downloaded after the rotation works too.
  const later = await h.kubeconfig(owner.token, cluster.id);
  assert.equal((await h.kubectl(later, ['get', 'namespaces'])).code, 0);
});

test('a deleted cluster has no kubeconfig and refuses the old one', async () => {
  const doomed = await h.runningCluster(owner.token);
  const path = await h.kubeconfig(owner.token, doomed.id);
  await h.request('DELETE', `/v1/clusters/${doomed.id}`, { token: owner.token });
  await h.waitFor(async () => (await h.request('GET', `/v1/clusters/${doomed.id}`, { token: owner.token })).body.status === 'DELETED', 'DELETED');
  const r = await h.request('GET', `/v1/clusters/${doomed.id}/kubeconfig`, { token: owner.token });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /DELETED/);
  assert.notEqual((await h.kubectl(path, ['get', 'namespaces'])).code, 0);
});
