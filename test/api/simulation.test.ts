import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

/**
 * Node chaos as the workers carry it out (the node lifecycle controller marks a silent node Unknown).
 * What the simulation routes answer (clock:advance, DNS, node actions) is tested in process, test/routes.
 */
let h: Harness;
let owner: { id: string; token: string };
let cluster: { id: string };

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
  cluster = await h.runningCluster(owner.token);
});
after(() => h.stop());

test('a failed node goes NotReady once the cluster clock passes the grace period, and recovers', async () => {
  const node = (await h.runtime.deps.store.list(cluster.id, 'nodes')).items[0].metadata.name!;
  const fail = await h.request('POST', `/v1/clusters/${cluster.id}/nodes/${node}:fail`, { token: owner.token });
  assert.equal(fail.status, 200);
  await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: owner.token, body: { seconds: 60 } });
  const ready = async () =>
    (await h.runtime.deps.store.get(cluster.id, 'nodes', '', node))?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status;
  await h.waitFor(async () => (await ready()) === 'Unknown', 'node NotReady (Unknown)');
  assert.equal((await h.request('POST', `/v1/clusters/${cluster.id}/nodes/${node}:recover`, { token: owner.token })).status, 200);
  await h.waitFor(async () => (await ready()) === 'True', 'node Ready again');
  assert.equal((await h.request('POST', `/v1/clusters/${cluster.id}/nodes/no-such-node:fail`, { token: owner.token })).status, 404);
  assert.equal((await h.request('POST', `/v1/clusters/${cluster.id}/nodes/${node}:explode`, { token: owner.token })).status, 422);
});
