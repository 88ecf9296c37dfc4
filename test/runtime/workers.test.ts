import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import { examplePath } from '../helpers/examples.ts';
import { startWorker, waitFor, writeFile, type WorkerUnderTest } from './wrangler-dev.ts';

/**
 * The Cloudflare Workers deployment end to end: `npm run dev:workers` (wrangler dev: workerd, local
 * D1 and Queues, HTTPS), then the management API through its contract and kubectl through the
 * Kubernetes API, with controllers, scheduler and kubelets running as queue consumers.
 */
let w: WorkerUnderTest;
let owner: { id: string; token: string };
let clusterId: string;

const root = join(import.meta.dirname, '../..');

before(
  async () => {
    w = await startWorker();
  },
  { timeout: 150_000 },
);
after(() => w?.stop());

async function tokenFor(apiKey: string): Promise<string> {
  const r = await w.request('POST', '/v1/auth/token', { body: { apiKey } });
  assert.equal(r.status, 200, r.text);
  return r.body.accessToken;
}

test('a fresh Worker publishes its signing key on the first request, before anyone signs in', async () => {
  const first = await w.request('GET', '/.well-known/jwks.json');
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.keys.length, 1, first.text);
  const admin = await tokenFor(w.adminKey);
  const kid = JSON.parse(atob(admin.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))).kid;
  assert.equal(kid, first.body.keys[0].kid, 'the published key is the one that signs');
});

test("the API reference is served from the Worker's static assets, Swagger UI included", async () => {
  const page = await w.request('GET', '/docs');
  assert.equal(page.status, 200);
  assert.match(page.text, /\/console\/vendor\/swagger-ui-bundle\.js/);
  const bundle = await w.request('GET', '/console/vendor/swagger-ui-bundle.js');
  assert.equal(bundle.status, 200);
  assert.ok(bundle.text.includes('SwaggerUIBundle'));
  assert.equal((await w.request('GET', '/console/vendor/yaml/index.js')).status, 200, 'the YAML library the console imports');
});

test('management API on Workers: tenants, keys, a cluster provisioned by a queue consumer, tenant isolation, errors', { timeout: 150_000 }, async () => {
  const health = await w.request('GET', '/healthz');
  assert.deepEqual(health.body, { status: 'ok' });
  // The same contract as Node serves (built once per isolate, so this also warms it for the suite).
  const spec = await w.request('GET', '/openapi.yaml');
  assert.equal(spec.status, 200);
  assert.equal(spec.text, readFileSync(join(root, 'openapi.yaml'), 'utf8'));
  const admin = await tokenFor(w.adminKey);
  const tenant = await w.request('POST', '/v1/tenants', { token: admin, body: { name: 'workers-acme' } });
  assert.equal(tenant.status, 201, tenant.text);
  const key = await w.request('POST', `/v1/tenants/${tenant.body.id}/api-keys`, { token: admin, body: { name: 'owner', role: 'owner' } });
  assert.equal(key.status, 201, key.text);
  owner = { id: tenant.body.id, token: await tokenFor(key.body.key) };

  const invalid = await w.request('POST', '/v1/clusters', { token: owner.token, body: { name: 'Not A Name!' } });
  assert.equal(invalid.status, 422);

  const created = await w.request('POST', '/v1/clusters', {
    token: owner.token,
    body: { name: 'on-workers', provider: 'eks', region: 'us-east-1', nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }] },
  });
  assert.equal(created.status, 202, created.text);
  assert.equal(created.body.status, 'PROVISIONING');
  clusterId = created.body.id;
  const running = await waitFor(async () => {
    const r = await w.request('GET', `/v1/clusters/${clusterId}`, { token: owner.token });
    return r.body.status === 'RUNNING' && r.body;
  }, 'the cluster RUNNING');
  assert.equal(running.nodePools[0].count, 3);
  const op = await w.request('GET', `/v1/operations/${created.body.operation.id}`, { token: owner.token });
  assert.equal(op.body.status, 'SUCCEEDED');
  const list = await w.request('GET', '/v1/clusters', { token: owner.token });
  assert.ok(list.body.items.some((c: { id: string }) => c.id === clusterId));

  const kubeconfig = await w.request('GET', `/v1/clusters/${clusterId}/kubeconfig`, { token: owner.token });
  assert.equal(kubeconfig.status, 200);
  const kc = parse(kubeconfig.text);
  assert.equal(kc.clusters[0].cluster.server, w.url, 'a server without a path: the token names the cluster');
  assert.ok(kc.clusters[0].cluster['certificate-authority-data'], 'the private CA wrangler serves with is in the kubeconfig');

  const other = await w.request('POST', '/v1/tenants', { token: admin, body: { name: 'workers-other' } });
  const otherKey = await w.request('POST', `/v1/tenants/${other.body.id}/api-keys`, { token: admin, body: { name: 'owner', role: 'owner' } });
  const stranger = await tokenFor(otherKey.body.key);
  assert.equal((await w.request('GET', `/v1/clusters/${clusterId}`, { token: stranger })).status, 404, "another tenant's cluster is not found");

  const jwks = await w.request('GET', '/.well-known/jwks.json');
  assert.ok(jwks.body.keys.length >= 1);

  // The console comes from the static-assets binding, only through its routes.
  const page = await w.request('GET', '/');
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-type']), /text\/html/);
  assert.equal((await w.request('GET', '/console/vendor/uPlot.min.css')).status, 200);
  assert.equal((await w.request('GET', '/index.html')).status, 404, 'asset files have no paths of their own');
  // Per-cluster Prometheus metrics, behind the cluster token.
  const metrics = await w.request('GET', `/clusters/${clusterId}/k8s/metrics`, { token: kc.users[0].user.token });
  assert.equal(metrics.status, 200);
  assert.match(metrics.text, /^kube_node_info\{node="[^"]+"/m);
  assert.equal((await w.request('GET', `/clusters/${clusterId}/k8s/metrics`)).status, 401);
});

test('the management contract suite passes against the Worker', { timeout: 170_000 }, async (t) => {
  if (!existsSync(join(root, 'scripts/contract.ts'))) {
    // The suite is another part's; until it lands, the test above covers the same flow through the contract.
    t.skip('scripts/contract.ts is not in this checkout yet');
    return;
  }
  const result = await new Promise<{ code: number; out: string }>((resolve) => {
    const child = spawn('npm', ['run', '-s', 'test:contract', '--', '--base-url', w.url, '--ca-file', w.caPath, '--timeout-seconds', '120'], {
      cwd: root,
      env: { ...process.env, KATES_ADMIN_KEY: w.adminKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
  assert.equal(result.code, 0, `contract suite failed against the Worker:\n${result.out.slice(-4000)}`);
});

test('revoking a key on Workers ends its access and kubeconfig tokens within a second, with no pub/sub between isolates', { timeout: 60_000 }, async () => {
  const key = await w.request('POST', `/v1/tenants/${owner.id}/api-keys`, { token: owner.token, body: { name: 'doomed', role: 'developer' } });
  const access = await tokenFor(key.body.key);
  const kubeconfigToken = parse((await w.request('GET', `/v1/clusters/${clusterId}/kubeconfig`, { token: access })).text).users[0].user.token;
  const probe = async () => [
    (await w.request('GET', '/v1/clusters', { token: access })).status,
    (await w.request('GET', `/clusters/${clusterId}/k8s/api/v1/namespaces`, { token: kubeconfigToken })).status,
  ];
  assert.deepEqual(await probe(), [200, 200]);
  const revokedAt = Date.now();
  assert.equal((await w.request('DELETE', `/v1/tenants/${owner.id}/api-keys/${key.body.id}`, { token: owner.token })).status, 200);
  await waitFor(async () => JSON.stringify(await probe()) === '[401,401]', 'both tokens refused', 1_000);
  assert.ok(Date.now() - revokedAt <= 1_000);
  assert.equal((await w.request('GET', '/v1/clusters', { token: owner.token })).status, 200, "the owner's key keeps working");
});

test('kubectl on Workers: apply a Deployment, its pods run on the nodes, delete it and the pods go', { timeout: 170_000 }, async () => {
  assert.ok(clusterId, 'the management test created the cluster');
  const kubeconfig = await w.request('GET', `/v1/clusters/${clusterId}/kubeconfig`, { token: owner.token });
  const kc = writeFile(w.dataDir, 'kubeconfig', kubeconfig.text);
  const ok = async (args: string[]) => {
    const r = await w.kubectl(kc, args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}\n--- worker output ---\n${w.output().slice(-3000)}`);
    return r.stdout;
  };

  const nodes = JSON.parse(await ok(['get', 'nodes', '-o', 'json'])).items;
  assert.equal(nodes.length, 3);
  await ok(['apply', '-f', examplePath('hello-deploy.yaml')]);
  // rollout status follows the Deployment over a watch: served from the D1 watch log by polling.
  const rollout = await w.kubectl(kc, ['rollout', 'status', 'deploy/hello-deploy', '--timeout=120s']);
  if (rollout.code !== 0) {
    const state = await w.kubectl(kc, ['get', 'deploy,rs,pods', '-o', 'wide']);
    assert.fail(`rollout status: ${rollout.stdout}${rollout.stderr}\n${state.stdout}${state.stderr}`);
  }
  const pods = JSON.parse(await ok(['get', 'pods', '-l', 'app=hello-world', '-o', 'json'])).items;
  assert.equal(pods.length, 10);
  assert.ok(
    pods.every((p: any) => p.status.phase === 'Running' && p.spec.nodeName),
    pods.map((p: any) => `${p.metadata.name} ${p.status.phase}`).join(', '),
  );

  // kubectl exec over a WebSocketPair: the simulated shell answers, exit codes come back.
  assert.equal(await ok(['exec', pods[0].metadata.name, '--', 'hostname']), `${pods[0].metadata.name}\n`);
  assert.equal((await w.kubectl(kc, ['exec', pods[0].metadata.name, '--', 'sh', '-c', 'exit 3'])).code, 3);

  await ok(['delete', 'deploy', 'hello-deploy']);
  await waitFor(async () => JSON.parse((await w.kubectl(kc, ['get', 'pods', '-o', 'json'])).stdout).items.length === 0, 'the pods gone', 90_000);

  const del = await w.request('DELETE', `/v1/clusters/${clusterId}`, { token: owner.token });
  assert.equal(del.status, 202);
  await waitFor(async () => (await w.request('GET', `/v1/clusters/${clusterId}`, { token: owner.token })).body.status === 'DELETED', 'the cluster DELETED');
});
