import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/wait.ts';
import { perMinute } from '../../src/lib/gcra.ts';
import { createApiKey, createTenant } from '../../src/services/tenants/tenants.ts';
import { getCluster } from '../../src/services/clusters/internal.ts';

/**
 * GCRA budgets in Redis: 20 requests a minute per tenant on /v1 and per token on the Kubernetes API,
 * in bursts of 2, one more every 3 s. Past that: 429 with Retry-After, in each API's error shape.
 */
const LIMIT = 20;
const { burst: BURST, intervalMs: INTERVAL } = perMinute(LIMIT);
let h: Harness;

before(async () => {
  h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), KUBE_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
});
after(() => h.stop());

/** A tenant and owner token made without /v1 calls, so its budget is untouched. */
async function freshTenant(role = 'owner') {
  const { deps } = h.runtime;
  const tenant = await createTenant(deps.database, { name: `t-${Math.random().toString(36).slice(2, 10)}` }, Date.now());
  const key = async (r: string) => h.tokenFor((await createApiKey(deps.database, { tenantId: tenant.id, name: r, role: r }, Date.now())).key);
  return { id: tenant.id, token: await key(role), key };
}

/** Budget that came back since `started`. */
const refills = (started: number) => Math.ceil((Date.now() - started) / INTERVAL);

test("past its burst a tenant gets 429 RATE_LIMITED with Retry-After; the tenant's other keys share the budget, other tenants do not", async () => {
  const a = await freshTenant();
  const aViewer = await a.key('viewer');
  const b = await freshTenant();
  const started = Date.now();
  const statuses = [];
  for (let i = 0; i < BURST + 1; i++) statuses.push((await h.request('GET', '/v1/clusters', { token: a.token })).status);
  assert.ok(refills(started) <= 1, 'the burst was sent within one interval');
  assert.deepEqual(statuses, [...Array(BURST).fill(200), 429]);
  const over = await h.request('GET', '/v1/clusters', { token: a.token });
  assert.equal(over.status, 429);
  assert.equal(over.body.error.code, 'RATE_LIMITED');
  const retryAfter = Number(over.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= INTERVAL / 1000, `Retry-After ${over.headers['retry-after']}`);
  assert.equal(over.body.error.details.retryAfterSeconds, retryAfter);
  assert.equal((await h.request('GET', `/v1/tenants/${a.id}`, { token: a.token })).status, 429, 'every route counts');
  assert.equal((await h.request('GET', '/v1/clusters', { token: aViewer })).status, 429, 'every key of the tenant counts');
  assert.equal((await h.request('GET', '/v1/clusters', { token: b.token })).status, 200);
  // Retry-After is honest: after it the next request passes.
  await new Promise((r) => setTimeout(r, retryAfter * 1000));
  assert.equal((await h.request('GET', '/v1/clusters', { token: a.token })).status, 200);
});

test('the budget lives in Redis: two API processes share it', async () => {
  const c = await freshTenant();
  const second = await startHarness({
    role: 'api',
    dataDir: h.dataDir,
    env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), QUEUE_PREFIX: h.runtime.deps.config.queuePrefix, REDIS_URL: h.runtime.redisUrl },
  });
  try {
    const statuses: number[] = [];
    for (let i = 0; i <= BURST; i++) statuses.push((await (i % 2 ? second : h).request('GET', '/v1/clusters', { token: c.token })).status);
    assert.deepEqual(statuses, [...Array(BURST).fill(200), 429]);
  } finally {
    await second.stop();
  }
});

test("no window edge: a flood straddling a minute boundary gets the burst and what the rate refills, not two minutes' worth", async () => {
  const d = await freshTenant();
  // Start half a second before a minute boundary and keep going until a second after it.
  const intoMinute = Date.now() % 60_000;
  await new Promise((r) => setTimeout(r, (59_500 - intoMinute + 60_000) % 60_000));
  const started = Date.now();
  const statuses: number[] = [];
  while (Date.now() - started < 1_500) {
    statuses.push(...(await Promise.all(Array.from({ length: 10 }, () => h.request('GET', '/v1/clusters', { token: d.token })))).map((r) => r.status));
  }
  const allowed = statuses.filter((s) => s === 200).length;
  // A fixed one-minute window let LIMIT through on each side of the edge (2 × 20 here).
  assert.ok(allowed >= BURST && allowed <= BURST + refills(started), `${allowed} of ${statuses.length} allowed across the edge`);
  assert.ok(statuses.filter((s) => s === 429).length > LIMIT, 'the flood was large enough to show the difference');
});

test('a Kubernetes API token past its KUBE_RATE_LIMIT_PER_MINUTE burst gets a 429 Status with Retry-After', async () => {
  const e = await freshTenant();
  const created = await h.request('POST', '/v1/clusters', { token: e.token, body: defaultClusterBody() });
  assert.equal(created.status, 202);
  await waitFor(async () => (await getCluster(h.runtime.deps.database, created.body.id))?.status === 'RUNNING', 'cluster RUNNING');
  const kubeconfig = await h.request('GET', `/v1/clusters/${created.body.id}/kubeconfig`, { token: e.token });
  const token = parse(kubeconfig.text).users[0].user.token;
  const started = Date.now();
  const statuses = [];
  for (let i = 0; i < BURST + 1; i++) statuses.push((await h.request('GET', `/clusters/${created.body.id}/k8s/api/v1/namespaces`, { token })).status);
  assert.ok(refills(started) <= 1);
  assert.deepEqual(statuses, [...Array(BURST).fill(200), 429]);
  const over = await h.request('GET', `/clusters/${created.body.id}/k8s/api/v1/namespaces/default/pods`, { token });
  assert.equal(over.status, 429);
  assert.deepEqual(
    { kind: over.body.kind, apiVersion: over.body.apiVersion, status: over.body.status, reason: over.body.reason, code: over.body.code },
    { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'TooManyRequests', code: 429 },
  );
  const retryAfter = Number(over.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= INTERVAL / 1000, `Retry-After ${over.headers['retry-after']}`);
  assert.equal(over.body.details.retryAfterSeconds, retryAfter);
});
