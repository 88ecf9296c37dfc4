import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { randomString } from '../../src/lib/ids.ts';
import { runBillingCycle } from '../../src/billing/cycle.ts';
import { workloadYaml } from './workload.ts';

let h: Harness;
let owner: { id: string; key: string; token: string };
before(async () => {
  h = await startHarness();
  owner = await h.tenant();
});
after(() => h.stop());

test('a 1.31 cluster with a Deployment and a PDB is upgraded to 1.32 while a client reads the Service endpoints', async () => {
  const cluster = await h.runningCluster(owner.token, {
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
  assert.deepEqual(up.body.operation.steps.map((s: { name: string }) => s.name), ['control-plane', 'node-pool/default']);
  const again = await h.request('POST', `/v1/clusters/${cluster.id}:upgrade`, { token: owner.token, body: { kubernetesVersion: '1.32' } });
  assert.equal(again.status, 409);

  let sawMixed = false;
  const op = await h.waitFor(async () => {
    const nodes = JSON.parse(await ok(['get', 'nodes', '-o', 'json'])).items;
    const versions = new Set(nodes.map((n: any) => n.status.nodeInfo.kubeletVersion));
    if (versions.size > 1) sawMixed = true;
    const r = await h.request('GET', `/v1/operations/${up.body.operation.id}`, { token: owner.token });
    if (r.body.status === 'FAILED') throw new Error(r.body.error);
    return r.body.status === 'SUCCEEDED' && r.body;
  }, 'upgrade finished', 90_000);
  reading = false;
  await reader;

  assert.ok(sawMixed, 'kubectl get nodes showed old and new kubelets side by side');
  assert.ok(seen.length > 10, `the client read the endpoints ${seen.length} times`);
  assert.ok(Math.min(...seen) >= 2, `ready endpoints never fell below the PDB's minAvailable: ${seen.join(',')}`);
  assert.deepEqual(op.steps.map((s: { status: string }) => s.status), ['DONE', 'DONE']);
  assert.equal(op.steps[1].nodesDone, 3);

  assert.equal(JSON.parse(await ok(['version', '-o', 'json'])).serverVersion.minor, '32');
  const nodes = JSON.parse(await ok(['get', 'nodes', '-o', 'json'])).items;
  assert.equal(nodes.length, 3);
  assert.ok(nodes.every((n: any) => n.status.nodeInfo.kubeletVersion === 'v1.32.0' && !n.spec.unschedulable), JSON.stringify(nodes.map((n: any) => n.status.nodeInfo.kubeletVersion)));
  const table = await ok(['get', 'nodes']);
  assert.ok(table.split('\n').slice(1).filter(Boolean).every((l) => l.includes('v1.32.0')), table);
  const got = await h.request('GET', `/v1/clusters/${cluster.id}`, { token: owner.token });
  assert.equal(got.body.kubernetesVersion, '1.32');
  assert.equal(got.body.status, 'RUNNING');
  assert.equal(got.body.nodePools[0].version, '1.32');
  const deploy = JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json']));
  assert.equal(deploy.status.readyReplicas, 3);

  const events = JSON.parse(await ok(['get', 'events', '-A', '--field-selector', 'involvedObject.kind=Node', '-o', 'json'])).items;
  for (const reason of ['SurgeNode', 'NodeNotSchedulable', 'RemovingNode']) assert.ok(events.some((e: any) => e.reason === reason), `an Event ${reason}`);
  const feed = await h.request('GET', `/v1/clusters/${cluster.id}/events`, { token: owner.token });
  assert.equal(feed.status, 200, feed.text);
  assert.ok(feed.text.includes('UpgradeStarted') && feed.text.includes('Upgraded'), `the control-plane event feed shows the upgrade: ${feed.text.slice(0, 300)}`);

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
