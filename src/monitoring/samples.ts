import { and, desc, eq, gt, gte, inArray, lt, lte, notInArray, sql } from 'drizzle-orm';
import { chunk } from '../lib/chunk.ts';
import { MAX_LIST_VALUES, type Database, type Db, type WriteStatement } from '../store/db.ts';
import { monitoringSamples } from '../store/schema/index.ts';
import type { ClusterSnapshot } from './snapshot.ts';

export interface StoredSample {
  at: number;
  snapshot: ClusterSnapshot;
}

/** The latest sample at or before `atOrBefore` (cluster-clock ms), raw JSON included for change checks. */
export async function latestSample(db: Db, clusterId: string, atOrBefore = Number.MAX_SAFE_INTEGER): Promise<{ at: number; data: string } | undefined> {
  return db
    .select({ at: monitoringSamples.at, data: monitoringSamples.data })
    .from(monitoringSamples)
    .where(and(eq(monitoringSamples.clusterId, clusterId), lte(monitoringSamples.at, atOrBefore)))
    .orderBy(desc(monitoringSamples.at))
    .limit(1)
    .get();
}

/**
 * The samples that decide a report's values: for each step (t - step, t] only the newest sample in it
 * (the one a step reads), plus the last sample before the window, which is carried into its first
 * steps. Oldest first. One grouped query, so a day at 5-minute steps reads at most 289 rows however
 * often the cluster changed.
 */
export async function samplesForWindow(db: Db, clusterId: string, fromMs: number, toMs: number, stepMs: number): Promise<StoredSample[]> {
  const before = await latestSample(db, clusterId, fromMs);
  // Parameters may bind as REAL, so the step index is truncated explicitly. The first query only
  // touches the primary key; the documents are read for the chosen instants only.
  const bucket = sql`CAST((${monitoringSamples.at} - ${fromMs} + ${stepMs - 1}) / ${stepMs} AS INTEGER)`;
  const window = and(eq(monitoringSamples.clusterId, clusterId), gt(monitoringSamples.at, fromMs), lte(monitoringSamples.at, toMs));
  const chosen = (
    await db
      .select({ at: sql<number>`max(${monitoringSamples.at})` })
      .from(monitoringSamples)
      .where(window)
      .groupBy(bucket)
      .all()
  ).map((r) => Number(r.at));
  const inside: { at: number; data: string }[] = [];
  for (const page of chunk(chosen, MAX_LIST_VALUES)) {
    inside.push(
      ...(await db
        .select({ at: monitoringSamples.at, data: monitoringSamples.data })
        .from(monitoringSamples)
        .where(and(eq(monitoringSamples.clusterId, clusterId), inArray(monitoringSamples.at, page)))
        .all()),
    );
  }
  inside.sort((a, b) => a.at - b.at);
  return [...(before ? [before] : []), ...inside].map((r) => ({ at: Number(r.at), snapshot: JSON.parse(r.data) as ClusterSnapshot }));
}

export function insertSample(db: Db, clusterId: string, at: number, data: string) {
  return {
    query: db
      .insert(monitoringSamples)
      .values({ clusterId, at, data })
      .onConflictDoUpdate({ target: [monitoringSamples.clusterId, monitoringSamples.at], set: { data } }),
  };
}

export function deleteSamplesBefore(db: Db, clusterId: string, beforeMs: number) {
  return { query: db.delete(monitoringSamples).where(and(eq(monitoringSamples.clusterId, clusterId), lt(monitoringSamples.at, beforeMs))) };
}

/**
 * Keeps only the newest sample of each `bucketMs` in [fromMs, toMs): older history is read at coarse
 * steps anyway, so a day of 15-second samples shrinks twentyfold once it ages past the fine window.
 */
export function downsampleStatement(db: Db, clusterId: string, fromMs: number, toMs: number, bucketMs: number) {
  const range = and(eq(monitoringSamples.clusterId, clusterId), gte(monitoringSamples.at, fromMs), lt(monitoringSamples.at, toMs));
  const keep = db
    .select({ at: sql`max(${monitoringSamples.at})` })
    .from(monitoringSamples)
    .where(range)
    .groupBy(sql`CAST(${monitoringSamples.at} / ${bucketMs} AS INTEGER)`);
  return { query: db.delete(monitoringSamples).where(and(range, notInArray(monitoringSamples.at, keep))) };
}

/** How a write ages the history: samples in [thinFrom, thinTo) keep one per bucket, those before dropBefore go. */
export interface SampleAging {
  thinFrom: number;
  thinTo: number;
  bucketMs: number;
  dropBefore: number;
}

/** The monitoring controller's view of its table: the newest snapshot, and appending one (aging the history with it). */
export interface SnapshotLog {
  latest(): Promise<{ at: number; data: string } | undefined>;
  append(at: number, data: string, aging?: SampleAging): Promise<void>;
}

export function snapshotLog(store: { database: Database }, clusterId: string): SnapshotLog {
  const { database } = store;
  return {
    latest: () => latestSample(database.db, clusterId),
    async append(at, data, aging) {
      const writes: WriteStatement[] = [insertSample(database.db, clusterId, at, data)];
      if (aging) {
        writes.push(downsampleStatement(database.db, clusterId, aging.thinFrom, aging.thinTo, aging.bucketMs));
        writes.push(deleteSamplesBefore(database.db, clusterId, aging.dropBefore));
      }
      await database.atomicWrite(writes);
    },
  };
}
