import { asc } from 'drizzle-orm';
import { openTestDatabase } from '../helpers/database.ts';
import { addClusterRow } from '../helpers/store.ts';
import { openInterval, closeInterval, type IntervalAttributes, type IntervalKind } from '../../src/billing/intervals.ts';
import { usageRecords } from '../../src/store/schema/index.ts';
import { clusters } from '../../src/store/schema/index.ts';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/store/db.ts';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const HOUR = 3_600_000;
export const MIN = 60_000;
export const GiB = 2 ** 30;

export function billingDb(): Database {
  return openTestDatabase();
}

/** A cluster row created at `at` (its clock origin) with the given provider settings. */
export async function addCluster(
  database: Database,
  id: string,
  opts: { at?: number; timeScale?: number; tenantId?: string; provider?: string; tier?: string; region?: string } = {},
): Promise<void> {
  const at = opts.at ?? T0;
  await addClusterRow(database as Database, id, at, opts.timeScale ?? 1, opts.tenantId ?? 'ten_test');
  const set: Partial<typeof clusters.$inferInsert> = {};
  if (opts.provider) set.provider = opts.provider;
  if (opts.tier) set.tier = opts.tier;
  if (opts.region) set.region = opts.region;
  if (Object.keys(set).length > 0) await database.db.update(clusters).set(set).where(eq(clusters.id, id)).run();
}

export async function open<K extends IntervalKind>(
  database: Database,
  clusterId: string,
  kind: K,
  subject: string,
  attributes: IntervalAttributes[K],
  at: number,
  tenantId = 'ten_test',
): Promise<void> {
  await database.atomicWrite([openInterval(database.db, { tenantId, clusterId, kind, subject, attributes, startedAt: at })]);
}

export async function close(database: Database, clusterId: string, kind: IntervalKind, subject: string, at: number): Promise<void> {
  await database.atomicWrite([closeInterval(database.db, { clusterId, kind, subject }, at)]);
}

export async function allRecords(database: Database) {
  return database.db
    .select()
    .from(usageRecords)
    .orderBy(asc(usageRecords.clusterId), asc(usageRecords.hourStart), asc(usageRecords.lineItem), asc(usageRecords.subject))
    .all();
}
