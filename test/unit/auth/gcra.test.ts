import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gcra, perMinute, retryAfterSeconds, type Rate } from '../../../src/lib/gcra.ts';

/** Runs hits at the given times through one key; returns how many were allowed. */
function run(rate: Rate, times: number[]): number {
  let tat: number | undefined;
  let allowed = 0;
  for (const t of times) {
    const o = gcra(tat, t, rate);
    tat = o.tat;
    if (o.allowed) allowed++;
  }
  return allowed;
}

test('a quiet key admits its burst at once, then one request per interval', () => {
  const rate = perMinute(600); // 100 ms apart, burst 60
  assert.deepEqual(rate, { intervalMs: 100, burst: 60 });
  assert.equal(run(rate, Array(200).fill(0)), 60);
  assert.equal(run(rate, [...Array(60).fill(0), 99, 100, 150, 200]), 62);
});

test('no window edge: at most burst + span/interval in any span, however the hits straddle a minute', () => {
  const rate = perMinute(600);
  const edge = 60_000 * 29_000_000; // a real minute boundary
  // The fixed window let 600 in just before the edge and 600 more just after.
  const straddle = [...Array(600).fill(edge - 100), ...Array(600).fill(edge + 100)];
  assert.equal(run(rate, straddle), 60 + 2);
  // Steady arrivals at twice the rate for two minutes: the rate plus one burst, not two windows.
  const steady = Array.from({ length: 2400 }, (_, i) => edge - 60_000 + i * 50);
  const allowed = run(rate, steady);
  assert.ok(allowed <= 60 + 1200 && allowed >= 1200, `allowed ${allowed}`);
});

test('a refused hit spends nothing and says how long to wait; a refund gives one back', () => {
  const rate: Rate = { intervalMs: 1000, burst: 2 };
  let o = gcra(undefined, 0, rate);
  o = gcra(o.tat, 0, rate);
  assert.equal(o.tat, 2000);
  const refused = gcra(o.tat, 0, rate);
  assert.deepEqual(refused, { allowed: false, tat: 2000, retryAfterMs: 1000 });
  assert.equal(retryAfterSeconds(refused.retryAfterMs), 1);
  assert.equal(retryAfterSeconds(1), 1);
  assert.equal(retryAfterSeconds(1001), 2);
  const refunded = gcra(o.tat, 0, rate, -1);
  assert.equal(refunded.tat, 1000);
  assert.equal(gcra(refunded.tat, 0, rate).allowed, true);
  assert.equal(gcra(0, 5000, rate, -1).tat, 5000, 'a refund never banks budget beyond the burst');
});
