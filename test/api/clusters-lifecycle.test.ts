import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';

let h: Harness;
let owner: { id: string; key: string; token: string };

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
});
after(() => h.stop());

test('a tenant creates a cluster, sees it RUNNING with its nodes, gets a kubeconfig, and deletes it', async () => {
  const body = defaultClusterBody();
  const created = await h.request('POST', '/v1/clusters', { token: owner.token, body });
  assert.equal(created.status, 202);
  assert.equal(created.body.status, 'PROVISIONING');
  assert.equal(created.headers.location, `/v1/clusters/${created.body.id}`);
  assert.equal(created.body.operation.type, 'CREATE_CLUSTER');
  const id = created.body.id;

  const running = await h.waitFor(async () => {
    const r = await h.request('GET', `/v1/clusters/${id}`, { token: owner.token });
    return r.body.status === 'RUNNING' && r.body;
  }, 'RUNNING');
  assert.equal(running.nodePools[0].count, 3);
  // The operation is marked done just after the controllers are woken, a moment after RUNNING.
  await h.waitFor(
    async () => (await h.request('GET', `/v1/operations/${created.body.operation.id}`, { token: owner.token })).body.status === 'SUCCEEDED',
    'the operation SUCCEEDED',
  );

  const nodes = await h.runtime.deps.store.list(id, 'nodes');
  assert.equal(nodes.items.length, 3);
  assert.equal(nodes.items[0].metadata.labels?.['node.kubernetes.io/instance-type'], 'm5.large');
  const namespaces = (await h.runtime.deps.store.list(id, 'namespaces')).items.map((n) => n.metadata.name).sort();
  assert.deepEqual(namespaces, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  assert.ok(await h.runtime.deps.store.get(id, 'services', 'default', 'kubernetes'));

  const kc = await h.request('GET', `/v1/clusters/${id}/kubeconfig`, { token: owner.token });
  assert.equal(kc.status, 200);
  const config = parse(kc.text);
  assert.equal(config.clusters[0].cluster.server, h.url);
  assert.ok(config.clusters[0].cluster['certificate-authority-data']);
  const path = await h.kubeconfig(owner.token, id);
  const version = await h.kubectl(path, ['version', '-o', 'json']);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(JSON.parse(version.stdout).serverVersion.minor, '32');

  const list = await h.request('GET', '/v1/clusters', { token: owner.token });
  assert.ok(list.body.items.some((c: { id: string }) => c.id === id));

  const del = await h.request('DELETE', `/v1/clusters/${id}`, { token: owner.token });
  assert.equal(del.status, 202);
  assert.equal(del.body.status, 'DELETING');
  await h.waitFor(async () => (await h.request('GET', `/v1/clusters/${id}`, { token: owner.token })).body.status === 'DELETED', 'DELETED');
  const after = await h.request('GET', '/v1/clusters', { token: owner.token });
  assert.ok(!after.body.items.some((c: { id: string }) => c.id === id), 'deleted clusters leave the default list');
  const deleted = await h.request('GET', '/v1/clusters?status=DELETED', { token: owner.token });
  assert.ok(deleted.body.items.some((c: { id: string }) => c.id === id));
  assert.equal((await h.runtime.deps.store.list(id, 'nodes')).items.length, 0);
});

test('resizing a pool adds and removes nodes through an UPDATE_CLUSTER operation', async () => {
  const cluster = await h.runningCluster(owner.token);
  const r = await h.request('PATCH', `/v1/clusters/${cluster.id}`, { token: owner.token, body: { nodePools: [{ name: 'default', count: 5, maxCount: 5 }] } });
  assert.equal(r.status, 202);
  assert.equal(r.body.operation.type, 'UPDATE_CLUSTER');
  const busy = await h.request('PATCH', `/v1/clusters/${cluster.id}`, { token: owner.token, body: { labels: { a: 'b' } } });
  if (busy.status === 409) assert.match(busy.body.error.message, /operation op_/);
  await h.waitFor(async () => (await h.runtime.deps.store.list(cluster.id, 'nodes')).items.length === 5, '5 nodes');
  await h.waitFor(async () => (await h.request('GET', `/v1/clusters/${cluster.id}`, { token: owner.token })).body.status === 'RUNNING', 'RUNNING again');
  const down = await h.request('PATCH', `/v1/clusters/${cluster.id}`, {
    token: owner.token,
    body: { nodePools: [{ name: 'default', count: 1, minCount: 1 }] },
  });
  assert.equal(down.status, 202);
  await h.waitFor(async () => (await h.runtime.deps.store.list(cluster.id, 'nodes')).items.length === 1, '1 node');
});
