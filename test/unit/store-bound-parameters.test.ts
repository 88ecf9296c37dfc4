import { test } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { count, inArray } from 'drizzle-orm';
import { openSqlite } from '../../src/platform/sqlite.ts';
import { MAX_BOUND_PARAMETERS, type Database } from '../../src/store/db.ts';
import { chunk } from '../../src/lib/chunk.ts';
import { rateDueHours, rateHours } from '../../src/billing/rating/runner.ts';
import { openInterval } from '../../src/billing/intervals.ts';
import { createBudget } from '../../src/billing/budgets/budgets.ts';
import { evaluateBudgets } from '../../src/billing/budgets/evaluate.ts';
import { insertSample, samplesForWindow } from '../../src/monitoring/samples.ts';
import { deleteStatesStatements, loadStates, saveStateStatement } from '../../src/autoscaling/state.ts';
import { autoscalingState, billingAlerts, usageRecords } from '../../src/store/schema/index.ts';
import { addClusterRow } from '../helpers/store.ts';

/** `?` placeholders outside quoted literals and identifiers: the values a statement binds. */
function boundValues(sqlText: string): number {
  return (sqlText.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`/g, '').match(/\?/g) ?? []).length;
}

/** Every statement this process prepares (reads and writes alike) fails as D1 would past the limit. */
const originalPrepare = BetterSqlite3.prototype.prepare;
let largest = 0;
BetterSqlite3.prototype.prepare = function (this: BetterSqlite3.Database, source: string) {
  const n = boundValues(source);
  largest = Math.max(largest, n);
  if (n > MAX_BOUND_PARAMETERS) throw new Error(`statement binds ${n} values: ${source.slice(0, 120)}`);
  return originalPrepare.call(this, source);
} as typeof originalPrepare;

/** On SQLite whatever the run's store: the check hooks better-sqlite3 (it guards D1's limit, not PostgreSQL's). */
function limitedDb(): Database {
  largest = 0;
  return openSqlite(':memory:');
}

const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;
const CLUSTERS = 230; // more than one rating batch (200), and far more than 100 ids

test('the guard itself refuses a statement binding more than 100 values', async () => {
  const database = limitedDb();
  const keys = Array.from({ length: MAX_BOUND_PARAMETERS + 1 }, (_, i) => `k${i}`);
  assert.throws(() => database.db.select().from(autoscalingState).where(inArray(autoscalingState.key, keys)).all(), /binds 101 values/);
});

test('chunk splits into slices of at most the size, keeping order', () => {
  assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(chunk([], 3), []);
  assert.throws(() => chunk([1], 0), RangeError);
});

test('rating hundreds of clusters with many records each stays within the limit', async () => {
  const database = limitedDb();
  const ids = Array.from({ length: CLUSTERS }, (_, i) => `cls_${String(i).padStart(3, '0')}`);
  for (const id of ids) {
    await addClusterRow(database as ReturnType<typeof openSqlite>, id, T0, 1);
    const open = [
      openInterval(database.db, {
        tenantId: 'ten_test',
        clusterId: id,
        kind: 'cluster',
        subject: id,
        attributes: { provider: 'eks', tier: 'standard', region: 'us-east-1' },
        startedAt: T0,
      }),
    ];
    for (let n = 0; n < 3; n++)
      open.push(
        openInterval(database.db, {
          tenantId: 'ten_test',
          clusterId: id,
          kind: 'node',
          subject: `${id}-n${n}`,
          attributes: { instanceType: 'm5.large' },
          startedAt: T0,
        }),
      );
    await database.atomicWrite(open);
  }
  // 10 hours × 4 records = 40 rows per cluster, each row binding every column.
  const due = await rateDueHours(database, T0 + 10 * HOUR + 5 * 60_000);
  assert.equal(due.clusters, CLUSTERS);
  assert.equal(due.records, CLUSTERS * 40);
  const stored = await database.db.select({ n: count() }).from(usageRecords).get();
  assert.equal(stored?.n, CLUSTERS * 40);

  const again = await rateHours(database, T0, T0 + 10 * HOUR, { clusterIds: ids });
  assert.equal(again.records, CLUSTERS * 40);
  assert.equal((await database.db.select({ n: count() }).from(usageRecords).get())?.n, CLUSTERS * 40, 're-rating replaces, never duplicates');
  assert.ok(largest > 0 && largest <= MAX_BOUND_PARAMETERS);
});

test('budgets of hundreds of tenants are evaluated within the limit', async () => {
  const database = limitedDb();
  const tenants = Array.from({ length: 150 }, (_, i) => `ten_${i}`);
  for (const tenantId of tenants) {
    const id = `cls_${tenantId}`;
    await addClusterRow(database as ReturnType<typeof openSqlite>, id, T0, 1, tenantId);
    await database.atomicWrite([
      openInterval(database.db, {
        tenantId,
        clusterId: id,
        kind: 'cluster',
        subject: id,
        attributes: { provider: 'eks', tier: 'standard', region: 'us-east-1' },
        startedAt: T0,
      }),
    ]);
    await createBudget(database, { tenantId, name: 'tiny', amountMicro: 100_000, thresholds: [50], nowMs: T0 });
  }
  await rateDueHours(database, T0 + 3 * HOUR);
  // Each tenant owes $0.20 against a $0.10 budget: every 50 % threshold is crossed once.
  assert.equal((await evaluateBudgets(database, T0 + 3 * HOUR)).alerts, tenants.length);
  assert.equal((await evaluateBudgets(database, T0 + 3 * HOUR)).alerts, 0, 'existing alerts are read back for every tenant');
  assert.equal((await database.db.select({ n: count() }).from(billingAlerts).get())?.n, tenants.length);
});

test('a monitoring window over hundreds of samples reads them all within the limit', async () => {
  const database = limitedDb();
  const T = 1_000_000;
  for (const part of chunk(
    Array.from({ length: 300 }, (_, i) => i),
    50,
  )) {
    await database.atomicWrite(part.map((i) => insertSample(database.db, 'c', T + i * 15_000, JSON.stringify({ i }))));
  }
  const steps = await samplesForWindow(database.db, 'c', T - 1, T + 299 * 15_000, 15_000);
  assert.equal(steps.length, 300);
  assert.deepEqual(
    steps.map((s) => (s.snapshot as unknown as { i: number }).i),
    Array.from({ length: 300 }, (_, i) => i),
  );
});

test('forgetting hundreds of autoscaling states writes within the limit, all together', async () => {
  const database = limitedDb();
  const keys = Array.from({ length: 250 }, (_, i) => `uid-${i}`);
  await database.atomicWrite([...keys, 'kept'].map((k) => saveStateStatement(database, 'c', 'hpa', k, { k }, T0)));
  const deletes = deleteStatesStatements(database, 'c', 'hpa', keys);
  assert.ok(deletes.length > 1);
  await database.atomicWrite(deletes);
  assert.deepEqual([...(await loadStates(database, 'c', 'hpa')).keys()], ['kept']);
});
