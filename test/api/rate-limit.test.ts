import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

/** A per-tenant limit of 8 requests a minute (fixed windows in Redis): the 9th is 429 with Retry-After. */
const LIMIT = 8;
let h: Harness;
let a: { id: string; key: string; token: string };
let b: { id: string; key: string; token: string };
let c: { id: string; key: string; token: string };
let aViewer: string;

before(async () => {
  h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  // Seven requests on the admin's own budget; none on the tenants'.
  a = await h.tenant();
  b = await h.tenant();
  c = await h.tenant();
  aViewer = (await h.keyFor(a.id, await h.adminToken(), 'viewer')).token;
});
after(() => h.stop());

/** Windows are whole minutes: start a burst well inside one so it is not split across two. */
async function awayFromMinuteEdge() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 56_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
}

test('the request over the limit is 429 RATE_LIMITED with Retry-After; the tenant\'s other keys share the budget, other tenants do not', async () => {
  await awayFromMinuteEdge();
  for (let i = 0; i < LIMIT; i++) assert.equal((await h.request('GET', '/v1/clusters', { token: a.token })).status, 200, `request ${i + 1}`);
  const over = await h.request('GET', '/v1/clusters', { token: a.token });
  assert.equal(over.status, 429);
  assert.equal(over.body.error.code, 'RATE_LIMITED');
  const retryAfter = Number(over.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${over.headers['retry-after']}`);
  assert.equal(over.body.error.details.retryAfterSeconds, retryAfter);
  assert.equal((await h.request('GET', `/v1/tenants/${a.id}`, { token: a.token })).status, 429, 'every route counts');
  assert.equal((await h.request('GET', '/v1/clusters', { token: aViewer })).status, 429, 'every key of the tenant counts');
  assert.equal((await h.request('GET', '/v1/clusters', { token: b.token })).status, 200);
});

test('the budget lives in Redis: two API processes share it', async () => {
  const second = await startHarness({
    role: 'api',
    dataDir: h.dataDir,
    env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), QUEUE_PREFIX: h.runtime.deps.config.queuePrefix, REDIS_URL: h.runtime.redisUrl },
  });
  try {
    await awayFromMinuteEdge();
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push((await (i % 2 ? second : h).request('GET', '/v1/clusters', { token: c.token })).status);
    assert.deepEqual(statuses, [...Array(LIMIT).fill(200), 429]);
  } finally {
    await second.stop();
  }
});
