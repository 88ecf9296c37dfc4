import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase } from '../../helpers/database.ts';
import { downsampleStatement, insertSample, samplesForWindow } from '../../../src/monitoring/samples.ts';

test('a window reads, per step, only the newest sample in it, plus the one before the window', async () => {
  const db = openTestDatabase();
  const T = 1_000_000;
  for (let i = 0; i <= 40; i++) await db.atomicWrite([insertSample(db.db, 'c', T + i * 15_000, JSON.stringify({ i }))]);
  await db.atomicWrite([insertSample(db.db, 'other', T + 60_000, '{}')]);
  const steps = await samplesForWindow(db.db, 'c', T + 30_000, T + 300_000, 60_000);
  assert.deepEqual(
    steps.map((s) => (s.at - T) / 1000),
    [30, 90, 150, 210, 270, 300],
  );
  assert.deepEqual(
    steps.map((s) => (s.snapshot as unknown as { i: number }).i),
    [2, 6, 10, 14, 18, 20],
  );
  const fine = await samplesForWindow(db.db, 'c', T, T + 60_000, 15_000);
  assert.deepEqual(
    fine.map((s) => (s.at - T) / 1000),
    [0, 15, 30, 45, 60],
  );
});

test('downsampling keeps the newest sample of each bucket inside its range only', async () => {
  const db = openTestDatabase();
  const T = 3_000_000;
  for (let i = 0; i < 60; i++) await db.atomicWrite([insertSample(db.db, 'c', T + i * 15_000, '{}')]);
  await db.atomicWrite([downsampleStatement(db.db, 'c', T, T + 600_000, 300_000)]);
  const left = (await samplesForWindow(db.db, 'c', T - 1, T + 900_000, 15_000)).map((s) => (s.at - T) / 1000);
  // Buckets of 300 s are aligned on the epoch: T = 3,000 s starts one.
  assert.deepEqual(left.slice(0, 3), [285, 585, 600]);
  assert.equal(left.length, 2 + 20, 'the 20 samples past the range stay');
});
