import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
let owner: { token: string };
let cluster: { id: string };
let kc: string;
let token: string;
before(async () => {
  h = await startHarness();
  owner = await h.tenant();
  cluster = await h.runningCluster(owner.token);
  kc = await h.kubeconfig(owner.token, cluster.id);
  token = parse(readFileSync(kc, 'utf8')).users[0].user.token;
});
after(() => h.stop());

const run = (args: string[], config = kc) => h.kubectl(config, args);
async function ok(args: string[], config = kc): Promise<string> {
  const r = await run(args, config);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
/** The same kubeconfig with another server URL. */
function withServer(server: string): string {
  const cfg = parse(readFileSync(kc, 'utf8'));
  cfg.clusters[0].cluster.server = server;
  const out = join(h.dataDir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  writeFileSync(out, stringify(cfg));
  return out;
}

test('new kubeconfigs name the service root; kubectl reaches the cluster by its token', async () => {
  assert.equal(parse(readFileSync(kc, 'utf8')).clusters[0].cluster.server, h.url);
  const version = JSON.parse(await ok(['get', '--raw', '/version']));
  assert.equal(version.major, '1');
  assert.match(version.gitVersion, /^v1\.32\./);
  for (const p of ['/healthz', '/livez', '/readyz']) assert.equal(await ok(['get', '--raw', p]), 'ok', p);
  const metrics = await ok(['get', '--raw', '/metrics']);
  assert.match(metrics, /^kube_node_info\{/m, "the cluster's kube-state-metrics, not the service's");
  assert.match(await ok(['get', 'nodes']), /Ready/);
  await ok(['create', 'configmap', 'rooted', '--from-literal=a=1']);
  assert.match(await ok(['explain', 'deployment.spec.replicas']), /replicas\s+<integer>/);
  // The old path form keeps working.
  const old = withServer(`${h.url}/clusters/${cluster.id}/k8s`);
  assert.equal(await ok(['get', 'configmap', 'rooted', '-o', 'jsonpath={.data.a}'], old), '1');
  assert.equal(await ok(['get', '--raw', '/healthz'], old), 'ok');
});

test('without a cluster token the root is the management API, whether or not a cluster exists', async () => {
  const health = await h.request('GET', '/healthz', { noContract: true });
  assert.deepEqual(health.body, { status: 'ok' });
  assert.equal((await h.request('GET', '/readyz', { noContract: true })).status, 200);
  const anonymous = await h.request('GET', '/api', { noContract: true });
  assert.equal(anonymous.status, 404);
  assert.equal(anonymous.text, '404 page not found');
  // A token whose audience names a cluster is checked by that cluster's API: a forged one for an
  // existing cluster and one for a cluster that never existed get the same 401.
  const forge = (clusterId: string) => {
    const [head, , sig] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ aud: `kates-cluster:${clusterId}`, sub: 'x', tid: 'x', role: 'cluster-admin', exp: 9_999_999_999 })).toString(
      'base64url',
    );
    return `${head}.${payload}.${sig}`;
  };
  const a = await h.request('GET', '/api/v1/namespaces', { token: forge(cluster.id), noContract: true });
  const b = await h.request('GET', '/api/v1/namespaces', { token: forge('cls_doesnotexist0000'), noContract: true });
  assert.equal(a.status, 401);
  assert.equal(a.text, b.text);
  // The management API stays the management API for a cluster token too.
  const v1 = await h.request('GET', '/v1/clusters', { token, noContract: true });
  assert.equal(v1.status, 401);
  assert.equal(v1.body.error?.code ?? v1.body.code, 'UNAUTHORIZED');
  assert.ok(v1.headers['x-request-id']);
  // The service's own /metrics is not the cluster's.
  const service = await h.request('GET', '/metrics', { noContract: true });
  assert.doesNotMatch(service.text, /kube_node_info/);
});

test('kubectl proxy without flags serves the cluster API', async () => {
  const child = spawn('kubectl', [`--kubeconfig=${kc}`, 'proxy', '--port=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`kubectl proxy exited ${code}`)));
    });
    const get = (path: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port, path }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        })
          .on('error', reject)
          .end();
      });
    const cm = await get('/api/v1/namespaces/default/configmaps/rooted');
    assert.equal(cm.status, 200, cm.text);
    assert.equal(JSON.parse(cm.text).data.a, '1');
    assert.match(JSON.parse((await get('/version')).text).gitVersion, /^v1\.32\./);
  } finally {
    child.kill();
  }
});

/** A request to the service with another Host header (TLS still checked against the test certificate's name). */
function viaHost(path: string, host: string, bearer?: string): Promise<{ status: number; text: string; body: any }> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, h.url);
    const headers: Record<string, string> = { host };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    httpsRequest(u, { headers, ca: h.runtime.deps.caCert, servername: 'localhost' }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, body });
      });
    })
      .on('error', reject)
      .end();
  });
}

test('KUBE_CLUSTER_DOMAIN: each cluster answers on its own host name, the kubeconfig names it', async () => {
  const config = h.runtime.deps.config as { kubeClusterDomain?: string };
  config.kubeClusterDomain = 'k8s.test';
  try {
    const host = `${cluster.id.replace('_', '-')}.k8s.test`;
    const port = new URL(h.url).port;
    const fresh = await h.kubeconfig(owner.token, cluster.id);
    assert.equal(parse(readFileSync(fresh, 'utf8')).clusters[0].cluster.server, `https://${host}:${port}`);
    const at = `${host}:${port}`;
    const cm = await viaHost('/api/v1/namespaces/default/configmaps/rooted', at, token);
    assert.equal(cm.status, 200, cm.text);
    assert.equal(cm.body.data.a, '1');
    // The cluster's host answers as its API even without a token: 401 on /api, its /healthz, the default /version.
    const anonymous = await viaHost('/api', at);
    assert.equal(anonymous.status, 401);
    const nobody = await viaHost('/api', `cls-doesnotexist0000.k8s.test:${port}`);
    assert.equal(nobody.status, 401);
    assert.equal(nobody.text, anonymous.text, 'an unknown cluster answers as a known one');
    assert.equal((await viaHost('/healthz', at)).text, 'ok');
    assert.equal((await viaHost('/version', at)).status, 200);
    // Another cluster's token on this host is refused.
    const other = await h.runningCluster(owner.token);
    const otherToken = parse(readFileSync(await h.kubeconfig(owner.token, other.id), 'utf8')).users[0].user.token;
    assert.equal((await viaHost('/api/v1/namespaces', at, otherToken)).status, 401);
    // The bare domain stays the management API.
    assert.deepEqual((await viaHost('/healthz', `k8s.test:${port}`)).body, { status: 'ok' });
  } finally {
    config.kubeClusterDomain = undefined;
  }
});
