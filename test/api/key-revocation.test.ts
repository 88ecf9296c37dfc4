import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';
import { parse } from 'yaml';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/wait.ts';
import { randomString } from '../../src/lib/ids.ts';
import { getCluster } from '../../src/services/clusters/internal.ts';

/**
 * Revoking an API key ends every token minted with it (the access token, a kubeconfig's token and a
 * namespace token) on every path and in every API process sharing the database and Redis, within a
 * second; the tokens of the tenant's other keys keep working.
 */
let h: Harness;
let second: Harness;
let owner: { id: string; key: string; token: string };
let clusterId: string;

interface KeyTokens {
  keyId: string;
  access: string;
  kubeconfig: string;
  kubeconfigToken: string;
  namespaceToken: string;
}

before(async () => {
  h = await startHarness();
  // Another API process over the same SQLite file and Redis.
  second = await startHarness({ role: 'api', dataDir: h.dataDir, env: { QUEUE_PREFIX: h.runtime.deps.config.queuePrefix, REDIS_URL: h.runtime.redisUrl } });
  owner = await h.tenant();
  clusterId = (await h.runningCluster(owner.token)).id;
});
after(async () => {
  await second.stop();
  await h.stop();
});

/** A developer key of the tenant and the three kinds of token minted with it. */
async function keyWithTokens(): Promise<KeyTokens> {
  const key = await h.keyFor(owner.id, owner.token, 'developer');
  const kc = await h.request('GET', `/v1/clusters/${clusterId}/kubeconfig`, { token: key.token });
  assert.equal(kc.status, 200);
  const kubeconfig = join(h.dataDir, `kubeconfig-${key.id}`);
  writeFileSync(kubeconfig, kc.text);
  const ns = await h.request('POST', `/v1/clusters/${clusterId}/tokens`, { token: key.token, body: { role: 'edit', namespaces: ['default'] } });
  assert.equal(ns.status, 201);
  return { keyId: key.id, access: key.token, kubeconfig, kubeconfigToken: parse(kc.text).users[0].user.token, namespaceToken: ns.body.token };
}

const configMap = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${randomString(6)}` }, data: { a: '1' } });

/** Every path a token of the key opens, as status codes (a watch is bounded so that it ends). */
async function statuses(p: Harness, t: KeyTokens) {
  const kube = (method: string, path: string, token: string, body?: unknown) => p.request(method, `/clusters/${clusterId}/k8s${path}`, { token, body });
  return {
    v1: (await p.request('GET', '/v1/clusters', { token: t.access })).status,
    kubeRead: (await kube('GET', '/api/v1/namespaces', t.kubeconfigToken)).status,
    kubeWrite: (await kube('POST', '/api/v1/namespaces/default/configmaps', t.kubeconfigToken, configMap())).status,
    kubeWatch: await watchStatus(p, t.kubeconfigToken),
    kubeDiscovery: (await kube('GET', '/apis', t.kubeconfigToken)).status,
    metrics: (await kube('GET', '/metrics', t.kubeconfigToken)).status,
    namespaceRead: (await kube('GET', '/api/v1/namespaces/default/configmaps', t.namespaceToken)).status,
    namespaceWrite: (await kube('POST', '/api/v1/namespaces/default/configmaps', t.namespaceToken, configMap())).status,
  };
}

/** The status a watch starts with (its body is a stream of JSON lines, so only the head is read). */
function watchStatus(p: Harness, token: string): Promise<number> {
  const url = new URL(`/clusters/${clusterId}/k8s/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=5`, p.url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { headers: { authorization: `Bearer ${token}` }, ca: p.runtime.deps.caCert }, (res) => {
      resolve(res.statusCode ?? 0);
      res.destroy();
    });
    req.on('error', reject);
    req.end();
  });
}

const WORKING = { v1: 200, kubeRead: 200, kubeWrite: 201, kubeWatch: 200, kubeDiscovery: 200, metrics: 200, namespaceRead: 200, namespaceWrite: 201 };
const REFUSED = { v1: 401, kubeRead: 401, kubeWrite: 401, kubeWatch: 401, kubeDiscovery: 401, metrics: 401, namespaceRead: 401, namespaceWrite: 401 };

test("a revoked key's access, kubeconfig and namespace tokens are 401 on every path of both processes within a second; another key's are not", async () => {
  const victim = await keyWithTokens();
  const bystander = await keyWithTokens();
  for (const p of [h, second]) {
    assert.deepEqual(await statuses(p, victim), WORKING);
    assert.deepEqual(await statuses(p, bystander), WORKING);
  }

  const revokedAt = Date.now();
  assert.equal((await h.request('DELETE', `/v1/tenants/${owner.id}/api-keys/${victim.keyId}`, { token: owner.token })).status, 200);
  // The second process learns of it over Redis; both must refuse everything within a second.
  const refusedAfter = await Promise.all(
    [h, second].map(async (p) => {
      await waitFor(async () => JSON.stringify(await statuses(p, victim)) === JSON.stringify(REFUSED), 'every token of the revoked key refused', 1_000, 20);
      return Date.now() - revokedAt;
    }),
  );
  assert.ok(
    refusedAfter.every((ms) => ms <= 1_000),
    `refused after ${refusedAfter.join(', ')} ms`,
  );

  const denied = await second.request('GET', `/clusters/${clusterId}/k8s/api/v1/namespaces`, { token: victim.kubeconfigToken });
  assert.deepEqual({ kind: denied.body.kind, code: denied.body.code, reason: denied.body.reason }, { kind: 'Status', code: 401, reason: 'Unauthorized' });
  const v1 = await second.request('GET', '/v1/clusters', { token: victim.access });
  assert.equal(v1.body.error.code, 'UNAUTHORIZED');
  assert.match(v1.body.error.message, /revoked/);

  for (const p of [h, second]) assert.deepEqual(await statuses(p, bystander), WORKING, 'the other key keeps working');

  const kubectl = await h.kubectl(victim.kubeconfig, ['get', 'namespaces']);
  assert.notEqual(kubectl.code, 0);
  assert.match(kubectl.stderr, /Unauthorized|must be logged in/);
  assert.equal((await h.kubectl(bystander.kubeconfig, ['get', 'namespaces'])).code, 0);
});

test("a process started after the revocation refuses the key's tokens from its first request", async () => {
  const victim = await keyWithTokens();
  assert.equal((await h.request('DELETE', `/v1/tenants/${owner.id}/api-keys/${victim.keyId}`, { token: owner.token })).status, 200);
  const late = await startHarness({ role: 'api', dataDir: h.dataDir, env: { QUEUE_PREFIX: h.runtime.deps.config.queuePrefix, REDIS_URL: h.runtime.redisUrl } });
  try {
    assert.deepEqual(await statuses(late, victim), REFUSED);
  } finally {
    await late.stop();
  }
});

test('a kubeconfig token minted before tokens named their key (the key only as subject) dies with the key too', async () => {
  const key = await h.keyFor(owner.id, owner.token, 'developer');
  const generation = (await getCluster(h.runtime.deps.database, clusterId))!.tokenGeneration;
  const legacy = await h.runtime.deps.tokens.mintClusterToken({ subject: key.id, tenantId: owner.id, clusterId, role: 'cluster-admin', generation });
  const get = () => h.request('GET', `/clusters/${clusterId}/k8s/api/v1/namespaces`, { token: legacy });
  assert.equal((await get()).status, 200);
  assert.equal((await h.request('DELETE', `/v1/tenants/${owner.id}/api-keys/${key.id}`, { token: owner.token })).status, 200);
  assert.equal((await get()).status, 401);
});

/** Opens a watch and resolves `ended` when the server ends its stream. */
function openWatch(p: Harness, token: string): Promise<{ ended: Promise<number>; stop(): void }> {
  const url = new URL(`/clusters/${clusterId}/k8s/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=120`, p.url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { headers: { authorization: `Bearer ${token}` }, ca: p.runtime.deps.caCert }, (res) => {
      assert.equal(res.statusCode, 200);
      res.resume();
      const ended = new Promise<number>((r) => res.once('end', () => r(Date.now())));
      resolve({ ended, stop: () => res.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

test("open watches of a revoked key's kubeconfig and namespace tokens end in every process; another key's stay open", async () => {
  const victim = await keyWithTokens();
  const bystander = await keyWithTokens();
  const doomed = await Promise.all([h, second].flatMap((p) => [openWatch(p, victim.kubeconfigToken), openWatch(p, victim.namespaceToken)]));
  const kept = await Promise.all([h, second].map((p) => openWatch(p, bystander.kubeconfigToken)));
  const revokedAt = Date.now();
  assert.equal((await h.request('DELETE', `/v1/tenants/${owner.id}/api-keys/${victim.keyId}`, { token: owner.token })).status, 200);
  // Ended by the revocation, long before their own timeout.
  const endedAt = await Promise.race([Promise.all(doomed.map((w) => w.ended)), new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000))]);
  assert.ok(endedAt, `every watch of the revoked key ended (revoked at ${revokedAt})`);
  const still = await Promise.race([Promise.any(kept.map((w) => w.ended)), new Promise<'open'>((r) => setTimeout(() => r('open'), 500))]);
  assert.equal(still, 'open', "the other key's watches stay open");
  for (const w of kept) w.stop();
});
