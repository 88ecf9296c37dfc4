import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, nextCreateAllowedAt } from '../../../src/controllers/job/backoff.ts';
import { formatIndexes, indexesToStart, parseIndexes } from '../../../src/controllers/job/indexes.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

test('completedIndexes compress runs of three or more, as the API documents ("1,3-5,7")', () => {
  assert.equal(formatIndexes([7, 1, 3, 4, 5]), '1,3-5,7');
  assert.equal(formatIndexes([0, 1]), '0,1');
  assert.equal(formatIndexes([0, 1, 2]), '0-2');
  assert.equal(formatIndexes([]), '');
  assert.deepEqual(
    [...parseIndexes('1,3-5,7')].sort((a, b) => a - b),
    [1, 3, 4, 5, 7],
  );
  assert.deepEqual([...parseIndexes('')], []);
});

test('pending indexes start lowest first, skipping completed and running ones', () => {
  assert.deepEqual(indexesToStart(6, new Set([0, 2]), new Set([1]), 2), [3, 4]);
  assert.deepEqual(indexesToStart(3, new Set([0, 1, 2]), new Set(), 5), []);
});

test('pod failure back-off: 10 s, doubling, capped at 10 minutes', () => {
  assert.deepEqual([1, 2, 3, 4].map(backoffDelayMs), [10_000, 20_000, 40_000, 80_000]);
  assert.equal(backoffDelayMs(7), 600_000);
  assert.equal(backoffDelayMs(30), 600_000);
  assert.equal(backoffDelayMs(0), 0);
});

const finished = (phase: string, at: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `${phase}-${at}` },
  status: { phase, containerStatuses: [{ name: 'c', state: { terminated: { finishedAt: new Date(at).toISOString() } } }] },
});

test('only failures after the last success count toward the back-off, from the latest failure', () => {
  const t = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(nextCreateAllowedAt([], [finished('Failed', t)]), t + 10_000);
  assert.equal(nextCreateAllowedAt([], [finished('Failed', t), finished('Failed', t + 5_000)]), t + 5_000 + 20_000);
  assert.equal(nextCreateAllowedAt([finished('Succeeded', t + 10_000)], [finished('Failed', t), finished('Failed', t + 20_000)]), t + 20_000 + 10_000);
  assert.equal(nextCreateAllowedAt([finished('Succeeded', t + 10_000)], [finished('Failed', t)]), undefined);
});
