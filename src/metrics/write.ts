import { and, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { Database, WriteStatement } from '../store/db.ts';
import { autoscalingState, metricRollups, metricSamples } from '../store/schema/index.ts';
import type { UsageSample } from './sampler.ts';
import { HOUR_ROLLUP_RETENTION_MS, MAX_BOUND_PARAMS, MINUTE_ROLLUP_RETENTION_MS, RESOLUTIONS, SAMPLE_INTERVAL_MS, SAMPLE_RETENTION_MS } from './retention.ts';
import { readChangePoints, SCRAPED_STATE } from './read.ts';
import { bySeries, seriesKey, type ChangePoint } from './render.ts';

function chunks<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_BOUND_PARAMS / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

type PointRow = typeof metricSamples.$inferInsert;

const ROLLUPS = [
  { ...RESOLUTIONS.minute, keep: MINUTE_ROLLUP_RETENTION_MS },
  { ...RESOLUTIONS.hour, keep: HOUR_ROLLUP_RETENTION_MS },
];

/** The scrape as change-point candidates, with the cluster series (the sum over nodes) when there are nodes. */
function withClusterSeries(at: number, samples: UsageSample[]): ChangePoint[] {
  const points: ChangePoint[] = samples.map((s) => ({ ...s, at, gone: false }));
  const nodes = samples.filter((s) => s.kind === 'node');
  if (nodes.length) {
    const sum = (f: (s: UsageSample) => number) => nodes.reduce((a, s) => a + f(s), 0);
    points.push({ kind: 'cluster', namespace: '', name: '', at, gone: false, cpuMilli: sum((s) => s.cpuMilli), memoryBytes: sum((s) => s.memoryBytes) });
  }
  return points;
}

const sameUsage = (a: ChangePoint, b: ChangePoint) =>
  !a.gone &&
  !b.gone &&
  a.cpuMilli === b.cpuMilli &&
  a.memoryBytes === b.memoryBytes &&
  JSON.stringify(a.containers ?? null) === JSON.stringify(b.containers ?? null);

const upsertRollup = {
  target: [metricRollups.clusterId, metricRollups.resolution, metricRollups.kind, metricRollups.namespace, metricRollups.name, metricRollups.bucketStart],
  set: {
    samples: sql`${metricRollups.samples} + excluded.samples`,
    cpuMilliSum: sql`${metricRollups.cpuMilliSum} + excluded.cpu_milli_sum`,
    cpuMilliMax: sql`max(${metricRollups.cpuMilliMax}, excluded.cpu_milli_max)`,
    memoryBytesSum: sql`${metricRollups.memoryBytesSum} + excluded.memory_bytes_sum`,
    memoryBytesMax: sql`max(${metricRollups.memoryBytesMax}, excluded.memory_bytes_max)`,
  },
};

/**
 * Adds a value held over [p.at, toMs) to the rollups: one sample per scrape instant in it, per bucket
 * within each resolution's retention. One statement per resolution however long the value held (the
 * buckets are generated in SQL), so a change after a month of quiet stays a small write.
 */
function foldStatements(database: Database, clusterId: string, p: ChangePoint, toMs: number): WriteStatement[] {
  const I = SAMPLE_INTERVAL_MS;
  return ROLLUPS.map((res) => {
    const start = Math.max(Math.floor(p.at / res.ms) * res.ms, Math.floor((toMs - res.keep) / res.ms) * res.ms);
    // The cast types the bound CPU as a float where `n * ?` would take it for an integer (PostgreSQL).
    const ceilScrape = (ms: SQL) => sql`CAST((${ms} + ${I - 1}) / ${I} AS INTEGER)`;
    const rows = sql`WITH RECURSIVE buckets(s) AS (SELECT CAST(${start} AS INTEGER) UNION ALL SELECT s + ${res.ms} FROM buckets WHERE s + ${res.ms} < ${toMs})
      SELECT ${clusterId}, ${res.key}, ${p.kind}, ${p.namespace}, ${p.name}, s, n, n * CAST(${p.cpuMilli} AS DOUBLE PRECISION), ${p.cpuMilli}, n * ${p.memoryBytes}, ${p.memoryBytes}
      FROM (SELECT s, ${ceilScrape(sql`min(${toMs}, s + ${res.ms})`)} - ${ceilScrape(sql`max(${p.at}, s)`)} AS n FROM buckets) AS b WHERE n > 0`;
    return { query: database.db.insert(metricRollups).select(rows).onConflictDoUpdate(upsertRollup) };
  });
}

/**
 * The statements that store one scrape taken at `at` as change points: a row for each series whose
 * usage differs from its current one (a `gone` row for series no longer scraped), the closed
 * interval of each replaced value added to the minute and hour rollups, the time of the pass, and
 * pruning of what fell out of each retention window. An unchanged scrape writes only the time.
 * Passes of one cluster never overlap (the controller runtime), so read-then-write is safe.
 */
export async function sampleStatements(database: Database, clusterId: string, at: number, samples: UsageSample[]): Promise<WriteStatement[]> {
  return (await scrapeWrite(database, clusterId, at, samples)).statements;
}

/** Stores one scrape (only the series that changed) in one atomic write; tells how many changed and how many statements it took. */
export async function recordScrape(
  store: { database: Database },
  clusterId: string,
  at: number,
  samples: UsageSample[],
): Promise<{ changed: number; statements: number }> {
  const { statements, changed } = await scrapeWrite(store.database, clusterId, at, samples);
  await store.database.atomicWrite(statements);
  return { changed, statements: statements.length };
}

/** sampleStatements, and how many series changed. */
export async function scrapeWrite(
  database: Database,
  clusterId: string,
  at: number,
  samples: UsageSample[],
): Promise<{ statements: WriteStatement[]; changed: number }> {
  const { db } = database;
  const current = new Map([...bySeries(await readChangePoints(database, clusterId)).values()].map((s) => [seriesKey(s[0]), s[s.length - 1]]));
  const scraped = withClusterSeries(at, samples);
  const changes: ChangePoint[] = [];
  const folds: WriteStatement[] = [];
  const replace = (was: ChangePoint | undefined, next: ChangePoint) => {
    if (was && was.at >= at) return; // the clock went back: keep the newer history
    changes.push(next);
    if (was && !was.gone) folds.push(...foldStatements(database, clusterId, was, at));
  };
  for (const p of scraped) {
    const was = current.get(seriesKey(p));
    if (!was || !sameUsage(was, p)) replace(was, p);
  }
  const seen = new Set(scraped.map(seriesKey));
  for (const [key, was] of current)
    if (!seen.has(key) && !was.gone) replace(was, { ...was, at, gone: true, cpuMilli: 0, memoryBytes: 0, containers: undefined });

  const out: WriteStatement[] = [];
  const rows: PointRow[] = changes.map((p) => ({
    clusterId,
    kind: p.kind,
    namespace: p.namespace,
    name: p.name,
    at,
    windowMs: SAMPLE_INTERVAL_MS,
    cpuMilli: p.cpuMilli,
    memoryBytes: p.memoryBytes,
    containers: p.containers ? JSON.stringify(p.containers) : null,
    gone: p.gone ? 1 : 0,
  }));
  for (const part of chunks(rows, 10)) out.push({ query: db.insert(metricSamples).values(part).onConflictDoNothing() });
  out.push(...folds);
  const body = JSON.stringify({ at });
  out.push({
    query: db
      .insert(autoscalingState)
      .values({ clusterId, component: SCRAPED_STATE.component, key: SCRAPED_STATE.key, body, updatedAt: at })
      .onConflictDoUpdate({ target: [autoscalingState.clusterId, autoscalingState.component, autoscalingState.key], set: { body, updatedAt: at } }),
  });
  if (changes.length) out.push(...pruneStatements(database, clusterId, at));
  return { statements: out, changed: changes.length };
}

/**
 * Change points that no scrape in the rolling window reads any more (superseded by a newer point
 * before the window, or ending a series before it), and rollups past their retention.
 */
function pruneStatements(database: Database, clusterId: string, at: number): WriteStatement[] {
  const { db } = database;
  const cutoff = at - SAMPLE_RETENTION_MS;
  const superseded = sql`exists (select 1 from metric_samples newer where newer.cluster_id = ${metricSamples.clusterId} and newer.kind = ${metricSamples.kind}
    and newer.namespace = ${metricSamples.namespace} and newer.name = ${metricSamples.name} and newer.at > ${metricSamples.at} and newer.at <= ${cutoff})`;
  const out: WriteStatement[] = [
    { query: db.delete(metricSamples).where(and(eq(metricSamples.clusterId, clusterId), lt(metricSamples.at, cutoff), superseded)) },
    { query: db.delete(metricSamples).where(and(eq(metricSamples.clusterId, clusterId), lt(metricSamples.at, cutoff), eq(metricSamples.gone, 1))) },
  ];
  for (const res of ROLLUPS) {
    out.push({
      query: db
        .delete(metricRollups)
        .where(and(eq(metricRollups.clusterId, clusterId), eq(metricRollups.resolution, res.key), lt(metricRollups.bucketStart, at - res.keep))),
    });
  }
  return out;
}

/** Drops every change point and rollup of a cluster (cluster deletion). */
export async function purgeClusterMetrics(database: Database, clusterId: string): Promise<void> {
  await database.atomicWrite([
    { query: database.db.delete(metricSamples).where(eq(metricSamples.clusterId, clusterId)) },
    { query: database.db.delete(metricRollups).where(eq(metricRollups.clusterId, clusterId)) },
  ]);
}
