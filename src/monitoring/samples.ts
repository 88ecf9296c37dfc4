import { and, asc, desc, eq, gt, lt, lte } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
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
 * The samples that decide the values in [fromMs, toMs]: every sample inside the window plus the last
 * one before it (it is carried forward into the window's first steps). Oldest first.
 */
export async function samplesForWindow(db: Db, clusterId: string, fromMs: number, toMs: number, maxRows = 20_000): Promise<StoredSample[]> {
  const before = await latestSample(db, clusterId, fromMs);
  const inside = await db
    .select({ at: monitoringSamples.at, data: monitoringSamples.data })
    .from(monitoringSamples)
    .where(and(eq(monitoringSamples.clusterId, clusterId), gt(monitoringSamples.at, fromMs), lte(monitoringSamples.at, toMs)))
    .orderBy(asc(monitoringSamples.at))
    .limit(maxRows)
    .all();
  return [...(before ? [before] : []), ...inside].map((r) => ({ at: r.at, snapshot: JSON.parse(r.data) as ClusterSnapshot }));
}

export function insertSample(db: Db, clusterId: string, at: number, data: string) {
  return { query: db.insert(monitoringSamples).values({ clusterId, at, data }).onConflictDoUpdate({ target: [monitoringSamples.clusterId, monitoringSamples.at], set: { data } }) };
}

export function deleteSamplesBefore(db: Db, clusterId: string, beforeMs: number) {
  return { query: db.delete(monitoringSamples).where(and(eq(monitoringSamples.clusterId, clusterId), lt(monitoringSamples.at, beforeMs))) };
}
