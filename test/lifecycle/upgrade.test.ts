import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { randomString } from '../../src/lib/ids.ts';
import { runBillingCycle } from '../../src/billing/cycle.ts';
import { settledCluster, workloadYaml } from './helpers.ts';

let h: Harness;
let owner: { id: string; key: string; token: string };
before(async () => {
  h = await startHarness();
  owner = await h.tenant();
});
after(() => h.stop());

test('a 1.31 cluster with a Deployment and a PDB is upgraded to 1.32 while a client reads the Service endpoints', async () => {
  const cluster = await settledCluster(h, owner.token, {
    name: `up-${randomString(6)}`,
    provider: 'eks',
    region: 'us-east-1',
    kubernetesVersion: '1.31',
    timeScale: 60,
    nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }],
  });
  const kc = await h.kubeconfig(owner.token, cluster.id);
  const token = parse(readFileSync(kc, 'utf8')).users[0].user.token as string;
  const ok = async (args: string[], input?: string) => {
    const r = await h.kubectl(kc, args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  assert.equal(JSON.parse(await ok(['version', '-o', 'json'])).serverVersion.minor, '31');
  await ok(['apply', '-f', '-'], workloadYaml({ replicas: 3, minAvailable: 2 }));
  await ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
  await h.waitFor(async () => (await readyEndpoints()) === 3, '3 ready endpoints');

  const skip = await h.request('POST', `/v1/clusters/${cluster.id}:upgrade`, { token: owner.token, body: { kubernetesVersion: '1.33' } });
  assert.equal(skip.status, 422);
  assert.equal(skip.body.error.code, 'VALIDATION_FAILED');
  assert.match(skip.body.error.message, /one minor version at a time: 1\.31 can go to 1\.32, not 1\.33/);
  const down = await h.request('POST', `/v1/clusters/${cluster.id}:upgrade`, { token: owner.token, body: { kubernetesVersion: '1.30' } });
  assert.equal(down.status, 422);
  assert.match(down.body.error.message, /downgrades are not supported/);

  // A client keeps reading the Service's endpoints through the Kubernetes API during the upgrade.
  let reading = true;
  const seen: number[] = [];
  async function readyEndpoints(): Promise<number> {
    const r = await h.request('GET', `/clusters/${cluster.id}/k8s/api/v1/namespaces/default/endpoints/web`, { token, noContract: true });
    assert.equal(r.status, 200, r.text);
    return (r.body.subsets ?? []).reduce((s: number, sub: { addresses?: unknown[] }) => s + (sub.addresses?.length ?? 0), 0);
  }
  const reader = (async () => {
    while (reading) {
      seen.push(await readyEndpoints());
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const up = await h.request('POST', `/v1/clusters/${cluster.id}:upgrade`, { token: owner.token, body: { kubernetesVersion: '1.32' } });
  assert.equal(up.status, 202, up.text);
  assert.equal(up.body.status, 'UPDATING');
  assert.equal(up.body.operation.type, 'UPGRADE_CLUSTER');
  assert.deepEqual(
    up.body.operation.steps.map((s: { name: string }) => s.name),
    ['control-plane', 'node-pool/default'],
  );
  const again = await h.request('POST', `/v1/clusters/${cluster.id}:upgrade`, { token: owner.token, body: { kubernetesVersion: '1.32' } });
  assert.equal(again.status, 409);

  let sawMixed = false;
  const op = await h.waitFor(
    async () => {
      const nodes = JSON.parse(await ok(['get', 'nodes', '-o', 'json'])).items;
      const versions = new Set(nodes.map((n: any) => n.status.nodeInfo.kubeletVersion));
      if (versions.size > 1) sawMixed = true;
      const r = await h.request('GET', `/v1/operations/${up.body.operation.id}`, { token: owner.token });
      if (r.body.status === 'FAILED') throw new Error(r.body.error);
      return r.body.status === 'SUCCEEDED' && r.body;
    },
    'upgrade finished',
    90_000,
  );
  reading = false;
  await reader;

  assert.ok(sawMixed, 'kubectl get nodes showed old and new kubelets side by side');
  assert.ok(seen.length > 10, `the client read the endpoints ${seen.length} times`);
  assert.ok(Math.min(...seen) >= 2, `ready endpoints never fell below the PDB's minAvailable: ${seen.join(',')}`);
  assert.deepEqual(
    op.steps.map((s: { status: string }) => s.status),
    ['DONE', 'DONE'],
  );
  assert.equal(op.steps[1].nodesDone, 3);

  assert.equal(JSON.parse(await ok(['version', '-o', 'json'])).serverVersion.minor, '32');
  const nodes = JSON.parse(await ok(['get', 'nodes', '-o', 'json'])).items;
  assert.equal(nodes.length, 3);
  assert.ok(
    nodes.every((n: any) => n.status.nodeInfo.kubeletVersion === 'v1.32.0' && !n.spec.unschedulable),
    JSON.stringify(nodes.map((n: any) => n.status.nodeInfo.kubeletVersion)),
  );
  const table = await ok(['get', 'nodes']);
  assert.ok(
    table
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .every((l) => l.includes('v1.32.0')),
    table,
  );
  const got = await h.request('GET', `/v1/clusters/${cluster.id}`, { token: owner.token });
  assert.equal(got.body.kubernetesVersion, '1.32');
  assert.equal(got.body.status, 'RUNNING');
  assert.equal(got.body.nodePools[0].version, '1.32');
  const deploy = JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json']));
  assert.equal(deploy.status.readyReplicas, 3);

  const events = JSON.parse(await ok(['get', 'events', '-A', '--field-selector', 'involvedObject.kind=Node', '-o', 'json'])).items;
  for (const reason of ['SurgeNode', 'NodeNotSchedulable', 'RemovingNode'])
    assert.ok(
      events.some((e: any) => e.reason === reason),
      `an Event ${reason}`,
    );
  const feed = await h.request('GET', `/v1/clusters/${cluster.id}/events`, { token: owner.token });
  assert.equal(feed.status, 200, feed.text);
  assert.ok(
    feed.text.includes('UpgradeStarted') && feed.text.includes('Upgraded'),
    `the control-plane event feed shows the upgrade: ${feed.text.slice(0, 300)}`,
  );

  // An hour later the month's invoice shows the surge node-hours and the extended-support control plane.
  const clock = await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: owner.token, body: { seconds: 3700 } });
  assert.equal(clock.status, 200);
  await runBillingCycle({ database: h.runtime.deps.database, nowMs: Date.now() });
  const period = clock.body.clusterTime.slice(0, 7);
  const invoice = await h.request('GET', `/v1/billing/invoices/${period}`, { token: owner.token });
  assert.equal(invoice.status, 200, invoice.text);
  const lines = invoice.body.lineItems.filter((l: { clusterId?: string }) => l.clusterId === cluster.id);
  const surge = lines.find((l: { item: string }) => l.item === 'surge-node:m5.large');
  assert.ok(surge, `a surge line: ${JSON.stringify(lines.map((l: { item: string }) => l.item))}`);
  assert.match(surge.description, /surge/);
  assert.ok(Number(surge.quantity) > 0);
  const cp = lines.find((l: { item: string }) => l.item.startsWith('control-plane:'));
  assert.equal(cp.item, 'control-plane:extended-support');
  assert.match(cp.description, /extended support/);
  assert.equal(cp.unitPrice.amount, '0.60');
});

test('AKS: the control plane alone first, then the pools catch up with their own surge settings', async () => {
  const cluster = await settledCluster(h, owner.token, {
    name: `up-${randomString(6)}`,
    provider: 'aks',
    region: 'eastus',
    kubernetesVersion: '1.30',
    timeScale: 60,
    nodePools: [
      { name: 'sys', instanceType: 'Standard_D2s_v3', count: 2 },
      { name: 'work', instanceType: 'Standard_D2s_v3', count: 2, upgradeSettings: { maxSurge: '50%' } },
    ],
  });
  const versions = async () => (await h.runtime.deps.store.list(cluster.id, 'nodes')).items.map((n) => n.status?.nodeInfo?.kubeletVersion).sort();
  const finished = (id: string) =>
    h.waitFor(
      async () => {
        const r = await h.request('GET', `/v1/operations/${id}`, { token: owner.token });
        if (r.body.status === 'FAILED') throw new Error(r.body.error);
        return r.body.status === 'SUCCEEDED' && r.body;
      },
      'operation done',
      60_000,
    );

  const cp = await h.request('POST', `/v1/clusters/${cluster.id}:upgrade`, { token: owner.token, body: { kubernetesVersion: '1.31', nodePools: [] } });
  assert.equal(cp.status, 202, cp.text);
  await finished(cp.body.operation.id);
  const mid = await h.request('GET', `/v1/clusters/${cluster.id}`, { token: owner.token });
  assert.equal(mid.body.kubernetesVersion, '1.31');
  assert.deepEqual(
    mid.body.nodePools.map((p: { version: string }) => p.version),
    ['1.30', '1.30'],
  );
  assert.deepEqual(await versions(), ['v1.30.0', 'v1.30.0', 'v1.30.0', 'v1.30.0'], 'kubelets stay behind the control plane');

  // A pool added now runs the control plane's version, never a newer one.
  const added = await h.request('POST', `/v1/clusters/${cluster.id}/node-pools`, {
    token: owner.token,
    body: { name: 'extra', instanceType: 'Standard_D2s_v3', count: 1 },
  });
  assert.equal(added.body.version, '1.31');
  await finished(added.body.operation.id);

  const catchUp = await h.request('POST', `/v1/clusters/${cluster.id}:upgrade`, {
    token: owner.token,
    body: { kubernetesVersion: '1.31', nodePools: ['work', 'sys'] },
  });
  assert.equal(catchUp.status, 202, catchUp.text);
  const op = await finished(catchUp.body.operation.id);
  assert.deepEqual(
    op.steps.map((s: { name: string; status: string }) => `${s.name}:${s.status}`),
    ['control-plane:DONE', 'node-pool/work:DONE', 'node-pool/sys:DONE'],
  );
  assert.ok(op.steps[1].startedAt <= op.steps[2].startedAt, 'pools are upgraded in the order asked');
  assert.deepEqual(await versions(), Array(5).fill('v1.31.0'));
  const pools = await h.request('GET', `/v1/clusters/${cluster.id}/node-pools`, { token: owner.token });
  assert.deepEqual(
    pools.body.items.map((p: { name: string; version: string; upgradeSettings: { maxSurge: string } }) => [p.name, p.version, p.upgradeSettings.maxSurge]),
    [
      ['extra', '1.31', '10%'],
      ['sys', '1.31', '10%'],
      ['work', '1.31', '50%'],
    ],
  );
  const nothing = await h.request('POST', `/v1/clusters/${cluster.id}:upgrade`, { token: owner.token, body: { kubernetesVersion: '1.31' } });
  assert.equal(nothing.status, 422);
  assert.match(nothing.body.error.message, /already run 1\.31/);
  const unknownPool = await h.request('POST', `/v1/clusters/${cluster.id}:upgrade`, {
    token: owner.token,
    body: { kubernetesVersion: '1.32', nodePools: ['nope'] },
  });
  assert.equal(unknownPool.status, 422);
  const malformed = await h.request('POST', `/v1/clusters/${cluster.id}:upgrade`, { token: owner.token, body: { kubernetesVersion: 'latest' } });
  assert.equal(malformed.status, 422);
  const otherVerb = await h.request('POST', `/v1/clusters/${cluster.id}:downgrade`, {
    token: owner.token,
    body: { kubernetesVersion: '1.30' },
    noContract: true,
  });
  // `cls_…:downgrade` reads as a cluster id, whose path takes GET, PATCH and DELETE only.
  assert.equal(otherVerb.status, 405);
});
