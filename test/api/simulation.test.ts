import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
let owner: { id: string; token: string };
let cluster: { id: string };

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
  cluster = await h.runningCluster(owner.token);
});
after(() => h.stop());

test('advancing the cluster clock moves cluster time and is refused for viewers and other tenants', async () => {
  const before = await h.runtime.deps.store.clusterNow(cluster.id);
  const r = await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: owner.token, body: { seconds: 600 } });
  assert.equal(r.status, 200);
  assert.ok(Date.parse(r.body.clusterTime) - before >= 600_000);
  const viewer = await h.keyFor(owner.id, owner.token, 'viewer');
  assert.equal((await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: viewer.token, body: { seconds: 1 } })).status, 403);
  const other = await h.tenant();
  assert.equal((await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: other.token, body: { seconds: 1 } })).status, 404);
  assert.equal((await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: owner.token, body: { seconds: -1 } })).status, 422);
});

test('a failed node goes NotReady once the cluster clock passes the grace period, and recovers', async () => {
  const node = (await h.runtime.deps.store.list(cluster.id, 'nodes')).items[0].metadata.name!;
  const fail = await h.request('POST', `/v1/clusters/${cluster.id}/nodes/${node}:fail`, { token: owner.token });
  assert.equal(fail.status, 200);
  await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: owner.token, body: { seconds: 60 } });
  const ready = async () => (await h.runtime.deps.store.get(cluster.id, 'nodes', '', node))?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status;
  await h.waitFor(async () => (await ready()) === 'Unknown', 'node NotReady (Unknown)');
  assert.equal((await h.request('POST', `/v1/clusters/${cluster.id}/nodes/${node}:recover`, { token: owner.token })).status, 200);
  await h.waitFor(async () => (await ready()) === 'True', 'node Ready again');
  assert.equal((await h.request('POST', `/v1/clusters/${cluster.id}/nodes/no-such-node:fail`, { token: owner.token })).status, 404);
  assert.equal((await h.request('POST', `/v1/clusters/${cluster.id}/nodes/${node}:explode`, { token: owner.token })).status, 422);
});

test('DNS resolves the kubernetes Service to the first service address', async () => {
  const r = await h.request('GET', `/v1/clusters/${cluster.id}/dns?name=kubernetes.default.svc.cluster.local&type=A`, { token: owner.token });
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'NOERROR');
  assert.equal(r.body.answers[0].data, '10.96.0.1');
  const missing = await h.request('GET', `/v1/clusters/${cluster.id}/dns?name=nope.default.svc.cluster.local`, { token: owner.token });
  assert.equal(missing.body.status, 'NXDOMAIN');
});
