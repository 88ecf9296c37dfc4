import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestStarted, yieldToRequests } from '../../../src/lib/loop-share.ts';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

test('a pass past its slice lets a timer run before it goes on; within the slice it keeps the loop', async () => {
  await yieldToRequests(); // a fresh slice
  let timerRan = false;
  setTimeout(() => (timerRan = true), 0);
  await yieldToRequests();
  assert.equal(timerRan, false, 'a short stretch does not give the loop away');
  busy(15);
  await yieldToRequests();
  assert.equal(timerRan, true, 'a long stretch does');
});

test('a yield waits for in-flight requests, and only up to its bound', async () => {
  busy(15);
  const finished = requestStarted();
  setTimeout(finished, 30);
  let t0 = performance.now();
  await yieldToRequests();
  assert.ok(performance.now() - t0 >= 25, 'waited for the request to finish');

  busy(15);
  const never = requestStarted();
  t0 = performance.now();
  await yieldToRequests();
  const waited = performance.now() - t0;
  never();
  assert.ok(waited >= 90 && waited < 1000, `bounded wait, got ${waited.toFixed(0)} ms`);
});
