import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { randomString } from '../../src/lib/ids.ts';
import { settledCluster, workloadYaml } from './helpers.ts';

let h: Harness;
let owner: { id: string; key: string; token: string };
before(async () => {
  h = await startHarness();
  owner = await h.tenant();
});
after(() => h.stop());

const opDone = (id: string) => async () => {
  const r = await h.request('GET', `/v1/operations/${id}`, { token: owner.token });
  if (r.body.status === 'FAILED') throw new Error(`operation ${id} failed: ${r.body.error}`);
  return r.body.status === 'SUCCEEDED' && r.body;
};

test('a pool is replaced by one of another instance type: the old nodes are drained and the workload moves over', async () => {
  const cluster = await settledCluster(h, owner.token, {
    name: `np-${randomString(6)}`,
    provider: 'gke',
    region: 'us-central1',
    timeScale: 60,
    nodePools: [{ name: 'old', instanceType: 'e2-standard-2', count: 2 }],
  });
  const kc = await h.kubeconfig(owner.token, cluster.id);
  const ok = async (args: string[], input?: string) => {
    const r = await h.kubectl(kc, args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  await ok(['apply', '-f', '-'], workloadYaml({ replicas: 3, minAvailable: 2 }));
  await ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);

  const created = await h.request('POST', `/v1/clusters/${cluster.id}/node-pools`, {
    token: owner.token,
    body: { name: 'new', instanceType: 'e2-standard-4', count: 2, labels: { tier: 'new' } },
  });
  assert.equal(created.status, 202, created.text);
  assert.equal(created.body.operation.type, 'CREATE_NODE_POOL');
  assert.equal(created.body.status, 'PROVISIONING');
  assert.equal(created.headers.location, `/v1/clusters/${cluster.id}/node-pools/new`);
  await h.waitFor(opDone(created.body.operation.id), 'pool created');
  const got = await h.request('GET', `/v1/clusters/${cluster.id}/node-pools/new`, { token: owner.token });
  assert.equal(got.body.status, 'READY');
  assert.equal(got.body.version, cluster.kubernetesVersion);
  assert.deepEqual(got.body.upgradeSettings, { maxSurge: '1', maxUnavailable: '0' });

  const busy = await h.request('POST', `/v1/clusters/${cluster.id}/node-pools`, {
    token: owner.token,
    body: { name: 'new', instanceType: 'e2-standard-4', count: 1 },
  });
  assert.equal(busy.status, 409);

  const del = await h.request('DELETE', `/v1/clusters/${cluster.id}/node-pools/old`, { token: owner.token });
  assert.equal(del.status, 202, del.text);
  assert.equal(del.body.status, 'DELETING');
  const done = await h.waitFor(opDone(del.body.operation.id), 'old pool drained and deleted', 60_000);
  assert.equal(done.steps[0].status, 'DONE');

  const pools = await h.request('GET', `/v1/clusters/${cluster.id}/node-pools`, { token: owner.token });
  assert.deepEqual(
    pools.body.items.map((p: { name: string }) => p.name),
    ['new'],
  );
  const nodes = JSON.parse(await ok(['get', 'nodes', '-o', 'json'])).items;
  assert.equal(nodes.length, 2);
  assert.ok(nodes.every((n: any) => n.metadata.labels['node.kubernetes.io/instance-type'] === 'e2-standard-4' && n.metadata.labels.tier === 'new'));
  await h.waitFor(async () => {
    const pods = JSON.parse(await ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items;
    const names = new Set(nodes.map((n: any) => n.metadata.name));
    return pods.length === 3 && pods.every((p: any) => p.status.phase === 'Running' && names.has(p.spec.nodeName));
  }, 'pods on the new pool');
  const events = JSON.parse(await ok(['get', 'events', '-A', '--field-selector', 'involvedObject.kind=Node', '-o', 'json'])).items;
  assert.ok(
    events.some((e: any) => e.reason === 'NodeNotSchedulable'),
    'cordon events',
  );
  assert.ok(
    events.some((e: any) => e.reason === 'RemovingNode'),
    'removal events',
  );
});

test('PATCH a pool: labels change in place, a larger count adds nodes, a smaller one drains the extra', async () => {
  const cluster = await settledCluster(h, owner.token, {
    name: `np-${randomString(6)}`,
    provider: 'eks',
    region: 'us-east-1',
    timeScale: 60,
    nodePools: [{ name: 'ng', instanceType: 'm5.large', count: 2, labels: { a: '1' } }],
  });
  const patch = async (body: unknown) => {
    const r = await h.request('PATCH', `/v1/clusters/${cluster.id}/node-pools/ng`, { token: owner.token, body });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.operation.type, 'UPDATE_NODE_POOL');
    return h.waitFor(opDone(r.body.operation.id), 'pool updated', 60_000);
  };
  const nodes = async () => (await h.runtime.deps.store.list(cluster.id, 'nodes')).items;
  await patch({ labels: { b: '2' }, taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] });
  for (const n of await nodes()) {
    assert.equal(n.metadata.labels?.b, '2');
    assert.equal(n.metadata.labels?.a, undefined, 'a label the pool dropped goes');
    assert.ok(n.spec?.taints?.some((t: { key: string }) => t.key === 'dedicated'));
  }
  await patch({ count: 3, maxCount: 3 });
  assert.equal((await nodes()).length, 3);
  await patch({ count: 1, minCount: 1 });
  assert.equal((await nodes()).length, 1);

  const bad = await h.request('PATCH', `/v1/clusters/${cluster.id}/node-pools/ng`, { token: owner.token, body: { upgradeSettings: { maxSurge: 2 } } });
  assert.equal(bad.status, 422);
  assert.match(bad.body.error.message, /EKS managed node groups have no maxSurge/);
  const missing = await h.request('PATCH', `/v1/clusters/${cluster.id}/node-pools/nope`, { token: owner.token, body: { count: 1 } });
  assert.equal(missing.status, 404);
  // The cluster-level PATCH keeps working.
  const legacy = await h.request('PATCH', `/v1/clusters/${cluster.id}`, { token: owner.token, body: { nodePools: [{ name: 'ng', count: 2, maxCount: 3 }] } });
  assert.equal(legacy.status, 202);
  await h.waitFor(async () => (await nodes()).length === 2, '2 nodes');
});

test('a drain a PodDisruptionBudget blocks waits, and fails the EKS operation after its 15-minute timeout', async () => {
  const cluster = await settledCluster(h, owner.token, {
    name: `np-${randomString(6)}`,
    provider: 'eks',
    region: 'us-east-1',
    timeScale: 60,
    nodePools: [
      { name: 'a', instanceType: 'm5.large', count: 1 },
      { name: 'b', instanceType: 'm5.large', count: 1 },
    ],
  });
  const kc = await h.kubeconfig(owner.token, cluster.id);
  const ok = async (args: string[], input?: string) => {
    const r = await h.kubectl(kc, args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  await ok(['apply', '-f', '-'], workloadYaml({ replicas: 2, minAvailable: 2 }));
  await ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
  const pods = JSON.parse(await ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items;
  const nodeA = (await h.runtime.deps.store.list(cluster.id, 'nodes')).items.find((n) => n.metadata.labels?.['kates.dev/node-pool'] === 'a')!.metadata.name;
  assert.ok(
    pods.some((p: any) => p.spec.nodeName === nodeA),
    'a pod runs on pool a',
  );

  const del = await h.request('DELETE', `/v1/clusters/${cluster.id}/node-pools/a`, { token: owner.token });
  assert.equal(del.status, 202);
  // The budget allows no disruption: the node is cordoned, its pod stays.
  await h.waitFor(async () => (await h.runtime.deps.store.get(cluster.id, 'nodes', '', nodeA!))?.spec?.unschedulable === true, 'pool a cordoned');
  await new Promise((r) => setTimeout(r, 1500));
  const op = await h.request('GET', `/v1/operations/${del.body.operation.id}`, { token: owner.token });
  assert.equal(op.body.status, 'RUNNING');
  assert.equal(op.body.steps[0].status, 'RUNNING');
  const still = JSON.parse(await ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items;
  assert.equal(still.filter((p: any) => p.status.phase === 'Running' && !p.metadata.deletionTimestamp).length, 2);

  await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: owner.token, body: { seconds: 16 * 60 } });
  const failed = await h.waitFor(async () => {
    const r = await h.request('GET', `/v1/operations/${del.body.operation.id}`, { token: owner.token });
    return r.body.status === 'FAILED' && r.body;
  }, 'operation failed after the drain timeout');
  assert.match(
    failed.error,
    /PodEvictionFailure: node .* could not be drained within 15 minutes: default\/web-.*Cannot evict pod as it would violate the pod's disruption budget/,
  );
  const after = await h.request('GET', `/v1/clusters/${cluster.id}`, { token: owner.token });
  assert.equal(after.body.status, 'RUNNING');
  assert.deepEqual(
    after.body.nodePools.map((p: { name: string }) => p.name),
    ['a', 'b'],
  );
});

test("a spot pool gets each provider's spot label (and the AKS taint); switching capacity type replaces its nodes", async () => {
  const cluster = await settledCluster(h, owner.token, {
    name: `np-${randomString(6)}`,
    provider: 'aks',
    region: 'eastus',
    timeScale: 60,
    nodePools: [{ name: 'sys', instanceType: 'Standard_D2s_v3', count: 1 }],
  });
  const created = await h.request('POST', `/v1/clusters/${cluster.id}/node-pools`, {
    token: owner.token,
    body: { name: 'spot', instanceType: 'Standard_D2s_v3', count: 2, capacityType: 'SPOT', zones: ['eastus-2'] },
  });
  assert.equal(created.status, 202, created.text);
  await h.waitFor(opDone(created.body.operation.id), 'spot pool created');
  const spotNodes = async () =>
    (await h.runtime.deps.store.list(cluster.id, 'nodes')).items.filter((n) => n.metadata.labels?.['kates.dev/node-pool'] === 'spot');
  const before = await spotNodes();
  assert.equal(before.length, 2);
  for (const n of before) {
    assert.equal(n.metadata.labels?.['kubernetes.azure.com/scalesetpriority'], 'spot');
    assert.equal(n.metadata.labels?.['topology.kubernetes.io/zone'], 'eastus-2');
    assert.ok(n.spec?.taints?.some((t: { key: string; effect: string }) => t.key === 'kubernetes.azure.com/scalesetpriority' && t.effect === 'NoSchedule'));
  }
  const badZone = await h.request('PATCH', `/v1/clusters/${cluster.id}/node-pools/spot`, { token: owner.token, body: { zones: ['mars-1'] } });
  assert.equal(badZone.status, 422);
  assert.match(badZone.body.error.message, /unknown zone "mars-1"/);

  const patched = await h.request('PATCH', `/v1/clusters/${cluster.id}/node-pools/spot`, { token: owner.token, body: { capacityType: 'ON_DEMAND' } });
  assert.equal(patched.status, 202, patched.text);
  await h.waitFor(opDone(patched.body.operation.id), 'spot pool moved to on-demand', 60_000);
  const after = await spotNodes();
  assert.equal(after.length, 2);
  const oldNames = new Set(before.map((n) => n.metadata.name));
  assert.ok(
    after.every(
      (n) => !oldNames.has(n.metadata.name) && n.metadata.labels?.['kubernetes.azure.com/scalesetpriority'] === undefined && !(n.spec?.taints ?? []).length,
    ),
    'every node was replaced by an on-demand one',
  );
});
