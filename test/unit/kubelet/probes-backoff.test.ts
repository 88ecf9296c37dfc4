import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeAtOrAfter, probeFlips, probeSpec, startupOutcome, stateAt } from '../../../src/kubelet/probes.ts';
import { afterRestart, formatGoDuration, restartAllowedAt, type BackoffEntry } from '../../../src/kubelet/backoff.ts';

const s = 1000;

test('probe defaults are those of core/v1', () => {
  assert.deepEqual(probeSpec({ httpGet: { path: '/', port: 80 } }), {
    initialDelaySeconds: 0,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
    failureMessage: 'HTTP probe failed with statuscode: 500',
  });
  assert.equal(probeSpec(undefined), undefined);
  assert.equal(probeSpec({ exec: {}, periodSeconds: 0 })!.periodSeconds, 1);
});

test('probe instants are aligned on the period from the first probe', () => {
  assert.equal(probeAtOrAfter(0, 5 * s, 10 * s), 5 * s);
  assert.equal(probeAtOrAfter(15 * s, 5 * s, 10 * s), 15 * s);
  assert.equal(probeAtOrAfter(16 * s, 5 * s, 10 * s), 25 * s);
});

test('readiness: ready at the first passing probe, unready after failureThreshold failures, ready again after successThreshold passes', () => {
  const spec = probeSpec({ httpGet: {}, initialDelaySeconds: 5, periodSeconds: 10, successThreshold: 2, failureThreshold: 3 })!;
  // Probes at 5, 15, 25, ... Handler passes from 12 s, fails from 100 s, passes again from 200 s.
  const flips = probeFlips(spec, 5 * s, false, [
    { from: 0, pass: false },
    { from: 12 * s, pass: true },
    { from: 100 * s, pass: false },
    { from: 200 * s, pass: true },
  ]);
  // Passes at 15 and 25 -> ready at 25. Failures at 105, 115, 125 -> unready at 125. Passes at 205, 215 -> ready at 215.
  assert.deepEqual(flips, [
    { at: 25 * s, state: true },
    { at: 125 * s, state: false },
    { at: 215 * s, state: true },
  ]);
  assert.equal(stateAt(false, flips, 24 * s), false);
  assert.equal(stateAt(false, flips, 130 * s), false);
  assert.equal(stateAt(false, flips, 300 * s), true);
});

test('a failure spell shorter than failureThreshold periods changes nothing', () => {
  const spec = probeSpec({ exec: {}, periodSeconds: 10, failureThreshold: 3 })!;
  const flips = probeFlips(spec, 0, true, [
    { from: 0, pass: true },
    { from: 50 * s, pass: false }, // probes at 50, 60 fail
    { from: 65 * s, pass: true },
  ]);
  assert.deepEqual(flips, []);
});

test('liveness kill time: first failing probe plus (failureThreshold - 1) periods', () => {
  const spec = probeSpec({ httpGet: {}, initialDelaySeconds: 3, periodSeconds: 5, failureThreshold: 3 })!;
  const flips = probeFlips(spec, 3 * s, true, [
    { from: 0, pass: true },
    { from: 20 * s, pass: false },
  ]);
  // Probes at 3, 8, 13, 18, 23, 28, 33: failures at 23, 28, 33.
  assert.deepEqual(flips, [{ at: 33 * s, state: false }]);
});

test('startup probe: started at the first pass, or killed after failureThreshold failures', () => {
  const spec = probeSpec({ httpGet: {}, periodSeconds: 10, failureThreshold: 3 })!;
  assert.deepEqual(startupOutcome(spec, 0, 15 * s), { started: 20 * s });
  assert.deepEqual(startupOutcome(spec, 0, 20 * s), { started: 20 * s });
  assert.deepEqual(startupOutcome(spec, 0, 25 * s), { killed: 20 * s });
});

test('restart back-off: immediate first restart, then 10 s doubling to 5 min', () => {
  let entry: BackoffEntry | undefined;
  let t = 0;
  const waits: number[] = [];
  for (let crash = 0; crash < 9; crash++) {
    t += 5 * s; // the container runs 5 s, then exits
    const at = restartAllowedAt(entry, t);
    waits.push((at - t) / s);
    entry = afterRestart(entry, t, at);
    t = at;
  }
  assert.deepEqual(waits, [0, 10, 20, 40, 80, 160, 300, 300, 300]);
});

test('restart back-off resets after the container ran for 10 minutes', () => {
  const entry = { delay: 160, updatedAt: 0 };
  assert.equal(restartAllowedAt(entry, 600 * s), 600 * s + 160 * s);
  assert.equal(restartAllowedAt(entry, 601 * s), 601 * s);
  assert.deepEqual(afterRestart(entry, 601 * s, 601 * s), { delay: 10, updatedAt: 601 * s });
});

test('durations print the Go way', () => {
  assert.equal(formatGoDuration(10), '10s');
  assert.equal(formatGoDuration(80), '1m20s');
  assert.equal(formatGoDuration(300), '5m0s');
});
