import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gcra, perMinute, retryAfterSeconds, type Rate } from '../../../src/lib/gcra.ts';
import { ReservedBudget, blockSize } from '../../../src/api/middleware/reserved-budget.ts';
import type { RateLimiter } from '../../../src/api/middleware/rate-limit.ts';

/** The shared budget as the Redis script keeps it (the same GCRA rule), on a clock the test moves. */
function sharedBudget() {
  const tats = new Map<string, number>();
  const clock = { now: 0 };
  let calls = 0;
  const limiter: RateLimiter = {
    async hit(key, rate, cost = 1) {
      calls++;
      const out = gcra(tats.get(key), clock.now, rate, cost);
      if (out.allowed) tats.set(key, out.tat);
      return out.allowed ? 0 : retryAfterSeconds(out.retryAfterMs);
    },
  };
  return { limiter, clock, calls: () => calls };
}

const RATE: Rate = perMinute(6000); // 100 a second, bursts of 600: blocks of 60

test('one process gets exactly the burst, asking the shared budget once per block and then per half block reserved ahead', async () => {
  const shared = sharedBudget();
  const budget = new ReservedBudget(shared.limiter);
  const results = await Promise.all(Array.from({ length: 700 }, () => budget.hit('t', RATE)));
  assert.equal(results.filter((w) => w === 0).length, RATE.burst);
  assert.ok(
    results.filter((w) => w > 0).every((w) => w >= 1),
    'the refused get a Retry-After',
  );
  // A block of 60, then half blocks of 30 reserved ahead, one refused, then one single request per refusal.
  assert.equal(blockSize(RATE), 60);
  assert.equal(shared.calls(), 1 + (RATE.burst - 60) / 30 + 1 + 100);
});

test('small budgets stay exact: below a block of 2 every request asks the shared budget', async () => {
  const shared = sharedBudget();
  const budget = new ReservedBudget(shared.limiter);
  const rate = perMinute(20); // burst 2
  assert.equal(blockSize(rate), 0);
  const results = [];
  for (let i = 0; i < 3; i++) results.push(await budget.hit('t', rate));
  assert.deepEqual(
    results.map((w) => w === 0),
    [true, true, false],
  );
  assert.equal(shared.calls(), 3);
});

test('several processes over one budget: any span admits at most the GCRA bound plus one block less one per process', async () => {
  const shared = sharedBudget();
  const processes = [0, 1, 2].map(() => new ReservedBudget(shared.limiter, () => shared.clock.now));
  const block = blockSize(RATE);
  const admittedAt: number[] = [];
  // 20 s of traffic at three times the rate, spread over the processes, 10 ms apart.
  for (let t = 0; t < 20_000; t += 10) {
    shared.clock.now = t;
    for (let k = 0; k < 3; k++) {
      const p = processes[(t / 10 + k) % 3];
      if ((await p.hit('t', RATE)) === 0) admittedAt.push(t);
    }
  }
  for (const span of [1_000, 5_000, 10_000]) {
    const bound = RATE.burst + span / RATE.intervalMs + processes.length * (block - 1);
    let worst = 0;
    for (let i = 0, j = 0; i < admittedAt.length; i++) {
      while (admittedAt[i] - admittedAt[j] >= span) j++;
      worst = Math.max(worst, i - j + 1);
    }
    assert.ok(worst <= bound, `${worst} admitted within ${span} ms (bound ${bound})`);
  }
  // The budget is used, not starved: over 20 s about burst + 20 s of rate.
  assert.ok(admittedAt.length >= RATE.burst + 20_000 / RATE.intervalMs - processes.length * block, `${admittedAt.length} admitted`);
});

test('other costs (a refund) go to the shared budget unchanged', async () => {
  const shared = sharedBudget();
  const budget = new ReservedBudget(shared.limiter);
  assert.equal(await budget.hit('t', RATE, -1), 0);
  assert.equal(await budget.hit('t', RATE, 5), 0);
  assert.equal(shared.calls(), 2);
});

test('a half-spent block is refilled in the background: requests do not wait for a slow shared store', async () => {
  const shared = sharedBudget();
  const pending: Array<() => void> = [];
  let slow = false;
  // The shared store answers only when the test says so (a busy Redis).
  const gated: RateLimiter = {
    hit: (key, rate, cost) =>
      slow ? new Promise<number>((r) => pending.push(() => void shared.limiter.hit(key, rate, cost).then(r))) : shared.limiter.hit(key, rate, cost),
  };
  const budget = new ReservedBudget(gated);
  assert.equal(await budget.hit('t', RATE), 0); // reserves a block of 60, 59 left
  slow = true;
  for (let i = 0; i < 58; i++) assert.equal(await budget.hit('t', RATE), 0, `request ${i} was served from the block`);
  assert.equal(pending.length, 1, 'below half a block, one refill of half a block is under way');
  pending.shift()!();
  await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 31; i++) assert.equal(await budget.hit('t', RATE), 0);
  assert.equal(shared.calls(), 2, 'the refill came before the block ran out; nobody waited');
});
