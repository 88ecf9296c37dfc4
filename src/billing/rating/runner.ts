import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { clusterTime } from '../../lib/clock.ts';
import { chunk } from '../../lib/chunk.ts';
import { MAX_LIST_VALUES, rowsPerInsert, type Database, type WriteStatement } from '../../store/db.ts';
import { billingCursors, clusters, usageIntervals, usageRecords } from '../../store/schema/index.ts';
import { isProvider } from '../catalog.ts';
import { intervalsOverlapping } from '../interval-reader.ts';
import { HOUR_MS, hourFloor, rateHour, type BilledCluster, type UsageRecord } from './rate-hour.ts';

/** Clusters rated per atomic write: one read of their intervals, one transaction for their records. */
const CLUSTERS_PER_BATCH = 200;
/** Rows per INSERT statement, within the bound-parameter limit (every column binds a value). */
const ROWS_PER_INSERT = rowsPerInsert(usageRecords);

export interface RatingSummary {
  clusters: number;
  hours: number;
  records: number;
  /** Some cluster still has due hours beyond this pass's cap. */
  more: boolean;
}

interface Job {
  cluster: BilledCluster;
  fromHour: number;
  toHour: number;
  /** Set when the cursor should move to `toHour` with the records. */
  advanceCursor: boolean;
}

/**
 * Rates [fromHour, toHour) again for every cluster with usage in it, replacing whatever records those
 * hours had: re-running changes nothing, and a corrected interval is reflected. Cursors are untouched.
 */
export async function rateHours(database: Database, fromHour: number, toHour: number, opts: { clusterIds?: string[] } = {}): Promise<RatingSummary> {
  const overlaps = [lt(usageIntervals.startedAt, toHour), sql`(${usageIntervals.endedAt} IS NULL OR ${usageIntervals.endedAt} >= ${fromHour})`];
  const lists = opts.clusterIds ? chunk(opts.clusterIds, MAX_LIST_VALUES) : [undefined];
  const ids: string[] = [];
  for (const list of lists) {
    const conds = list ? [...overlaps, inArray(usageIntervals.clusterId, list)] : overlaps;
    ids.push(
      ...(
        await database.db
          .selectDistinct({ id: usageIntervals.clusterId })
          .from(usageIntervals)
          .where(and(...conds))
          .all()
      ).map((r) => r.id),
    );
  }
  const rows = await clusterRows(database, ids);
  const jobs = rows.map((row) => ({ cluster: billedCluster(row), fromHour: hourFloor(fromHour), toHour: hourFloor(toHour), advanceCursor: false }));
  return runJobs(database, jobs, 0);
}

export interface DueOptions {
  /** At most this many hours per cluster per pass (a 3600× cluster accrues an hour per real second). */
  maxHoursPerCluster?: number;
  /** Cluster-clock ms to wait after an hour ends before rating it, so writes stamped just before the
   * boundary have committed. At least this many real ms are waited too (scaled by the cluster's speed). */
  settleMs?: number;
  settleRealMs?: number;
  /** For logs and `updatedAt` of cursors. */
  nowForCursor?: number;
}

/**
 * Catches every cluster up to its own clock: rates each complete cluster-clock hour after the
 * cluster's cursor (or its first interval) and moves the cursor in the same write. Safe to run from
 * several workers at once and after any downtime: missed hours are simply due.
 */
export async function rateDueHours(database: Database, realNowMs: number, opts: DueOptions = {}): Promise<RatingSummary> {
  const maxHours = opts.maxHoursPerCluster ?? 168;
  const settleMs = opts.settleMs ?? 60_000;
  const settleRealMs = opts.settleRealMs ?? 5_000;
  const due = await database.db
    .select({ clusterId: usageIntervals.clusterId, firstStart: sql<number>`min(${usageIntervals.startedAt})`, ratedUntil: billingCursors.ratedUntil })
    .from(usageIntervals)
    .leftJoin(billingCursors, eq(billingCursors.clusterId, usageIntervals.clusterId))
    .where(sql`${billingCursors.clusterId} IS NULL OR ${usageIntervals.endedAt} IS NULL OR ${usageIntervals.endedAt} > ${billingCursors.ratedUntil}`)
    // rated_until is one value per cluster; grouping by it too keeps the query standard SQL (PostgreSQL).
    .groupBy(usageIntervals.clusterId, billingCursors.ratedUntil)
    .all();
  const rows = new Map(
    (
      await clusterRows(
        database,
        due.map((d) => d.clusterId),
      )
    ).map((r) => [r.id, r]),
  );

  const jobs: Job[] = [];
  let more = false;
  for (const d of due) {
    const row = rows.get(d.clusterId);
    if (!row) continue;
    const now = clusterTime(realNowMs, { originMs: row.clockOriginMs, timeScale: row.timeScale, skewMs: row.clockSkewMs });
    const settle = Math.max(settleMs, settleRealMs * row.timeScale);
    const fromHour = d.ratedUntil ?? hourFloor(d.firstStart);
    let toHour = hourFloor(now - settle);
    if (toHour <= fromHour) continue;
    if (toHour - fromHour > maxHours * HOUR_MS) {
      toHour = fromHour + maxHours * HOUR_MS;
      more = true;
    }
    jobs.push({ cluster: billedCluster(row), fromHour, toHour, advanceCursor: true });
  }
  const summary = await runJobs(database, jobs, opts.nowForCursor ?? realNowMs);
  return { ...summary, more };
}

type ClusterRow = Pick<typeof clusters.$inferSelect, 'id' | 'tenantId' | 'provider' | 'region' | 'tier' | 'timeScale' | 'clockOriginMs' | 'clockSkewMs'>;

async function clusterRows(database: Database, ids: string[]): Promise<ClusterRow[]> {
  const out: ClusterRow[] = [];
  for (const list of chunk(ids, MAX_LIST_VALUES)) {
    out.push(
      ...(await database.db
        .select({
          id: clusters.id,
          tenantId: clusters.tenantId,
          provider: clusters.provider,
          region: clusters.region,
          tier: clusters.tier,
          timeScale: clusters.timeScale,
          clockOriginMs: clusters.clockOriginMs,
          clockSkewMs: clusters.clockSkewMs,
        })
        .from(clusters)
        .where(inArray(clusters.id, list))
        .all()),
    );
  }
  // A cluster row with a provider kates does not price cannot be rated; it is left for an operator.
  return out.filter((r) => isProvider(r.provider));
}

function billedCluster(row: ClusterRow): BilledCluster {
  return { tenantId: row.tenantId, clusterId: row.id, provider: row.provider as BilledCluster['provider'], region: row.region, tier: row.tier };
}

async function runJobs(database: Database, jobs: Job[], nowMs: number): Promise<RatingSummary> {
  const summary: RatingSummary = { clusters: 0, hours: 0, records: 0, more: false };
  for (let i = 0; i < jobs.length; i += CLUSTERS_PER_BATCH) {
    const batch = jobs.slice(i, i + CLUSTERS_PER_BATCH);
    const from = Math.min(...batch.map((j) => j.fromHour));
    const to = Math.max(...batch.map((j) => j.toHour));
    const intervals = await intervalsOverlapping(
      database.db,
      batch.map((j) => j.cluster.clusterId),
      from,
      to,
    );
    const statements: WriteStatement[] = [];
    for (const job of batch) {
      const mine = intervals.get(job.cluster.clusterId) ?? [];
      const records: UsageRecord[] = [];
      for (let hour = job.fromHour; hour < job.toHour; hour += HOUR_MS) records.push(...rateHour(job.cluster, mine, hour));
      statements.push(...replaceRecords(database, job, records, nowMs));
      summary.clusters += 1;
      summary.hours += (job.toHour - job.fromHour) / HOUR_MS;
      summary.records += records.length;
    }
    await database.atomicWrite(statements);
  }
  return summary;
}

function replaceRecords(database: Database, job: Job, records: UsageRecord[], nowMs: number): WriteStatement[] {
  const { db } = database;
  const id = job.cluster.clusterId;
  const statements: WriteStatement[] = [
    {
      query: db
        .delete(usageRecords)
        .where(and(eq(usageRecords.clusterId, id), gte(usageRecords.hourStart, job.fromHour), lt(usageRecords.hourStart, job.toHour))),
    },
  ];
  for (const part of chunk(records, ROWS_PER_INSERT)) {
    const rows = part.map((r) => ({ ...r, attributes: JSON.stringify(r.attributes) }));
    statements.push({ query: db.insert(usageRecords).values(rows) });
  }
  if (job.advanceCursor) {
    statements.push({
      query: db
        .insert(billingCursors)
        .values({ clusterId: id, tenantId: job.cluster.tenantId, ratedUntil: job.toHour, updatedAt: nowMs })
        // Never move a cursor back: a slower concurrent pass may finish after a faster one.
        .onConflictDoUpdate({
          target: billingCursors.clusterId,
          set: { ratedUntil: sql`max(${billingCursors.ratedUntil}, excluded.rated_until)`, updatedAt: nowMs },
        }),
    });
  }
  return statements;
}
