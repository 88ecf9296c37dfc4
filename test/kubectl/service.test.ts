import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { startHarness, type Harness } from '../helpers/harness.ts';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

/** A copy of a kubeconfig with another token and/or another cluster's server URL. */
function variant(path: string, opts: { token?: string; clusterId?: string; from?: string }): string {
  const cfg = parse(readFileSync(path, 'utf8'));
  if (opts.token) cfg.users[0].user.token = opts.token;
  // The path form addresses one cluster whatever the token says.
  if (opts.clusterId) cfg.clusters[0].cluster.server = `${h.url}/clusters/${opts.clusterId}/k8s`;
  const out = `${path}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(out, stringify(cfg));
  return out;
}

test('cluster tokens are bound to their cluster; namespace tokens are enforced on every verb', async () => {
  const owner = await h.tenant();
  const a = await h.runningCluster(owner.token);
  const b = await h.runningCluster(owner.token);
  const kcA = await h.kubeconfig(owner.token, a.id);
  const run = (kc: string, args: string[]) => h.kubectl(kc, args);

  assert.equal((await run(kcA, ['get', 'ns', 'default', '-o', 'name'])).stdout.trim(), 'namespace/default');
  // Cluster A's token presented to cluster B's API.
  const wrongCluster = variant(kcA, { clusterId: b.id, from: a.id });
  const refused = await run(wrongCluster, ['get', 'pods']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /You must be logged in to the server|Unauthorized/);
  // Another tenant's token.
  const other = await h.tenant();
  const c = await h.runningCluster(other.token);
  const kcC = await h.kubeconfig(other.token, c.id);
  const cross = variant(kcC, { clusterId: a.id, from: c.id });
  assert.notEqual((await run(cross, ['get', 'pods'])).code, 0);

  assert.equal((await run(kcA, ['create', 'namespace', 'team-a'])).code, 0);
  const mint = async (role: 'view' | 'edit') => {
    const r = await h.request('POST', `/v1/clusters/${a.id}/tokens`, { token: owner.token, body: { role, namespaces: ['team-a'], name: `${role}-bot` } });
    assert.equal(r.status, 201, r.text);
    return variant(kcA, { token: r.body.token });
  };
  const viewer = await mint('view');
  assert.equal((await run(viewer, ['get', 'pods', '-n', 'team-a'])).code, 0);
  const otherNs = await run(viewer, ['get', 'pods', '-n', 'default']);
  assert.match(otherNs.stderr, /pods is forbidden: User "view-bot" cannot list resource "pods" in API group "" in the namespace "default"/);
  assert.match((await run(viewer, ['create', 'configmap', 'x', '-n', 'team-a'])).stderr, /forbidden/);
  assert.match((await run(viewer, ['get', 'secrets', '-n', 'team-a'])).stderr, /forbidden/);
  assert.equal((await run(viewer, ['auth', 'can-i', 'create', 'deployments', '-n', 'team-a'])).stdout.trim(), 'no');
  assert.equal((await run(viewer, ['auth', 'can-i', 'list', 'pods', '-n', 'team-a'])).stdout.trim(), 'yes');

  const editor = await mint('edit');
  assert.equal((await run(editor, ['create', 'configmap', 'x', '-n', 'team-a', '--from-literal=a=1'])).code, 0);
  assert.equal((await run(editor, ['get', 'secrets', '-n', 'team-a'])).code, 0);
  assert.match((await run(editor, ['create', 'configmap', 'y', '-n', 'default'])).stderr, /forbidden/);
  assert.match(
    (await run(editor, ['get', 'nodes'])).stderr,
    /nodes is forbidden: User "edit-bot" cannot list resource "nodes" in API group "" at the cluster scope/,
  );
});

test('the example manifests run on a real cluster: volumes bind, pods become Ready, logs are served', async () => {
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token);
  const kc = await h.kubeconfig(owner.token, cluster.id);
  const ok = async (args: string[]) => {
    const r = await h.kubectl(kc, args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  for (const f of ['cmvol.yaml', 'volpod.yaml', 'storageclass-slow.yaml', 'tkb-sts.yaml']) await ok(['apply', '-f', `${EXAMPLES}${f}`]);
  await ok(['wait', '--for=condition=Ready', 'pod/cmvol', 'pod/volpod', '--timeout=90s']);
  await ok(['rollout', 'status', 'statefulset/tkb-sts', '--timeout=120s']);
  const pvcs = JSON.parse(await ok(['get', 'pvc', '-o', 'json'])).items;
  assert.ok(pvcs.length >= 5, 'pvc1, pv-ticket and three claims of tkb-sts');
  // storageclass-slow.yaml asks for gce-pd, which an EKS cluster does not run: its claim waits, as upstream.
  const phases = pvcs.map((p: any) => [p.metadata.name, p.status.phase]);
  assert.ok(
    pvcs.every((p: any) => p.status.phase === (p.metadata.name === 'pv-ticket' ? 'Pending' : 'Bound')),
    JSON.stringify(phases),
  );
  const described = await h.waitFor(async () => {
    const d = await ok(['describe', 'pvc', 'pv-ticket']);
    return d.includes('ExternalProvisioning') ? d : undefined;
  }, 'ExternalProvisioning event');
  assert.match(
    described,
    /Normal\s+ExternalProvisioning\s+.*persistentvolume-controller\s+Waiting for a volume to be created either by the external provisioner 'pd\.csi\.storage\.gke\.io' or manually by the system administrator/,
  );
  assert.match(await ok(['get', 'pod', 'class-pod']), /^class-pod\s+0\/1\s+Pending/m);
  assert.match(await ok(['get', 'pods', '-o', 'wide']), /^tkb-sts-2\s+1\/1\s+Running/m);
  const logs = await ok(['logs', 'cmvol']);
  assert.ok(logs.length > 0);
  assert.match(await ok(['describe', 'pod', 'tkb-sts-0']), /Controlled By:\s+StatefulSet\/tkb-sts/);
  await ok(['delete', 'pod', 'volpod', '--timeout=60s']);
  assert.match((await h.kubectl(kc, ['get', 'pod', 'volpod'])).stderr, /NotFound/);
});

test('kubectl drain evicts through the eviction API within the PodDisruptionBudget', async () => {
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token);
  const kc = await h.kubeconfig(owner.token, cluster.id);
  const ok = async (args: string[]) => {
    const r = await h.kubectl(kc, args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  await ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
  await ok(['create', 'pdb', 'web', '--selector=app=web', '--min-available=2']);
  await ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
  const pods = JSON.parse(await ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items;
  const node = pods[0].spec.nodeName;
  const drained = await ok(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=90s']);
  assert.match(drained, new RegExp(`pod/${pods[0].metadata.name} evicted`));
  assert.match(drained, /drained/);
  assert.match(await ok(['get', 'node', node]), /Ready,SchedulingDisabled/);
  await ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
  const after = JSON.parse(await ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items;
  assert.ok(after.every((p: any) => p.spec.nodeName !== node));
});
