import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { assertMatchesContract } from '../helpers/contract.ts';
import { randomString } from '../../src/lib/ids.ts';
import { SIGN_IN_RATE } from '../../src/api/routes/auth/sign-in-throttle.ts';

/**
 * `POST /v1/auth/token` is throttled per source address and per key prefix: failed exchanges spend
 * the budget (20 at once, then one every 2 s), successful ones do not. Requests come from distinct
 * loopback addresses (127.0.0.x) so the two budgets can be told apart.
 */
let h: Harness;
let owner: { id: string; key: string; token: string };

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
});
after(() => h.stop());

const BURST = SIGN_IN_RATE.burst;
const wrongKey = (prefix = 'kates_live_') => `${prefix}${randomString(51 - prefix.length)}`;

/** A key exchange sent from `address`. */
function exchange(address: string, apiKey: string): Promise<{ status: number; retryAfter?: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      new URL('/v1/auth/token', h.url),
      { method: 'POST', localAddress: address, ca: h.runtime.deps.caCert, headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          assertMatchesContract('POST', '/v1/auth/token', res.statusCode!, res.headers['content-type'], body);
          resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined, body });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ apiKey }));
  });
}

/** Budget that came back since `started` (one failure every interval). */
const refills = (started: number) => Math.ceil((Date.now() - started) / SIGN_IN_RATE.intervalMs);
const count = (statuses: number[]) => statuses.reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {});

test('a flood of wrong keys from one address gets the burst of 401s, then 429 with Retry-After, even for a right key', async () => {
  const started = Date.now();
  const statuses = (await Promise.all(Array.from({ length: 200 }, () => exchange('127.0.0.2', wrongKey())))).map((r) => r.status);
  const { 401: refused = 0, 429: throttled = 0 } = count(statuses);
  assert.equal(refused + throttled, 200);
  assert.ok(refused >= BURST && refused <= BURST + refills(started), `${refused} wrong keys were checked`);
  const over = await exchange('127.0.0.2', owner.key);
  assert.equal(over.status, 429, 'throttled before the key is looked at, so a right guess is not confirmed');
  assert.equal(over.body.error.code, 'RATE_LIMITED');
  const retryAfter = Number(over.retryAfter);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 2, `Retry-After ${over.retryAfter}`);
  assert.equal(over.body.error.details.retryAfterSeconds, retryAfter);
  assert.equal((await exchange('127.0.0.3', owner.key)).status, 200, 'another address is not affected');
});

test("guesses sharing a key's prefix are throttled together, whatever address they come from", async () => {
  const target = (await h.keyFor(owner.id, owner.token, 'viewer')).key;
  const prefix = target.slice(0, 'kates_live_'.length + 8);
  // One guess per address, so no address's own budget is touched twice.
  const statuses = [];
  const started = Date.now();
  for (let i = 0; i < BURST + 5; i++) statuses.push((await exchange(`127.0.1.${i + 1}`, wrongKey(prefix))).status);
  const refused = count(statuses)[401];
  assert.ok(refused >= BURST && refused <= BURST + refills(started), `${refused} guesses were checked`);
  assert.equal(statuses.at(-1), 429);
  assert.equal((await exchange('127.0.2.1', wrongKey(prefix))).status, 429, 'a fresh address is refused too');
  assert.equal((await exchange('127.0.2.2', wrongKey())).status, 401, 'a key with another prefix is only checked');
  assert.equal((await exchange('127.0.2.3', owner.key)).status, 200);
});

test('successful exchanges do not count: a client may exchange its key far beyond the burst', async () => {
  const statuses = [];
  for (let i = 0; i < BURST * 3; i++) statuses.push((await exchange('127.0.3.1', owner.key)).status);
  assert.deepEqual(count(statuses), { 200: BURST * 3 });
  // Concurrent ones too, as long as they are fewer than the burst at any moment.
  assert.deepEqual(count((await Promise.all(Array.from({ length: BURST - 1 }, () => exchange('127.0.3.1', owner.key)))).map((r) => r.status)), {
    200: BURST - 1,
  });
});
