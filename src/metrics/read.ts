import { and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Database } from '../store/db.ts';
import { autoscalingState, metricRollups, metricSamples } from '../store/schema/index.ts';
import type { ContainerSample } from './sampler.ts';
import { RESOLUTIONS, SAMPLE_RETENTION_MS, type Resolution } from './retention.ts';
import { bucketShares, bySeries, renderAt, renderRange, scrapeAtOrBefore, type ChangePoint, type RenderedSample } from './render.ts';

/**
 * Usage as metrics-server would have scraped it, rendered from the stored change points. Readers
 * pass the cluster's now (`nowMs`) and get the scrape of the 15 s instant at or before it; without
 * it they get a scrape at the time of the last metrics pass (a pass also runs one interval after
 * every change, so a pod that just became ready is seen with a full window of metrics).
 */
export type StoredSample = RenderedSample & { kind: 'node' | 'pod' };

/** The autoscaling_state row where the metrics pass notes up to when usage is known. */
export const SCRAPED_STATE = { component: 'metrics', key: 'scraped' } as const;

type PointRow = typeof metricSamples.$inferSelect;

function toPoint(r: PointRow): ChangePoint {
  return {
    kind: r.kind as ChangePoint['kind'],
    namespace: r.namespace,
    name: r.name,
    at: r.at,
    gone: r.gone === 1,
    cpuMilli: r.cpuMilli,
    memoryBytes: r.memoryBytes,
    ...(r.containers ? { containers: JSON.parse(r.containers) as ContainerSample[] } : {}),
  };
}

/** Cluster-clock time of the last metrics pass (usage is known up to it), or undefined before the first. */
export async function latestSampleTime(database: Database, clusterId: string): Promise<number | undefined> {
  const row = await database.db
    .select({ body: autoscalingState.body })
    .from(autoscalingState)
    .where(and(eq(autoscalingState.clusterId, clusterId), eq(autoscalingState.component, SCRAPED_STATE.component), eq(autoscalingState.key, SCRAPED_STATE.key)))
    .get();
  return row ? (JSON.parse(row.body) as { at: number }).at : undefined;
}

/** The stored change points of a cluster at or before `toMs`, optionally of some kinds or one object. */
export async function readChangePoints(
  database: Database,
  clusterId: string,
  q: { kinds?: ChangePoint['kind'][]; namespace?: string; name?: string; toMs?: number } = {},
): Promise<ChangePoint[]> {
  const conds = [eq(metricSamples.clusterId, clusterId)];
  if (q.kinds) conds.push(inArray(metricSamples.kind, q.kinds));
  if (q.namespace !== undefined) conds.push(eq(metricSamples.namespace, q.namespace));
  if (q.name !== undefined) conds.push(eq(metricSamples.name, q.name));
  if (q.toMs !== undefined) conds.push(lte(metricSamples.at, q.toMs));
  const rows = await database.db
    .select()
    .from(metricSamples)
    .where(and(...conds))
    .orderBy(asc(metricSamples.at))
    .all();
  return rows.map(toPoint);
}

/** The instant to render: the scrape at or before the reader's now, or the last pass. */
async function scrapeInstant(database: Database, clusterId: string, nowMs?: number): Promise<number | undefined> {
  return nowMs !== undefined ? scrapeAtOrBefore(nowMs) : latestSampleTime(database, clusterId);
}

const asSample = (s: { kind: string }) => s as StoredSample;

/** The newest scrape of a cluster (what metrics-server would answer at `nowMs`), optionally one kind only. */
export async function latestSamples(database: Database, clusterId: string, kind?: 'node' | 'pod', nowMs?: number): Promise<StoredSample[]> {
  const at = await scrapeInstant(database, clusterId, nowMs);
  if (at === undefined) return [];
  const points = await readChangePoints(database, clusterId, { kinds: kind ? [kind] : ['node', 'pod'], toMs: at });
  const out: StoredSample[] = [];
  for (const series of bySeries(points).values()) {
    const s = renderAt(series, at);
    if (s) out.push(asSample(s));
  }
  return out;
}

export interface SampleQuery {
  kind: 'node' | 'pod';
  namespace?: string;
  name?: string;
  /** Inclusive bounds in cluster-clock ms. */
  fromMs?: number;
  toMs?: number;
}

/** The scrapes within the rolling window (15 min before `nowMs`), oldest first. */
export async function readSamples(database: Database, clusterId: string, q: SampleQuery, nowMs?: number): Promise<StoredSample[]> {
  const now = nowMs ?? (await latestSampleTime(database, clusterId));
  if (now === undefined) return [];
  const toMs = Math.min(q.toMs ?? now, now);
  const fromMs = Math.max(q.fromMs ?? Number.NEGATIVE_INFINITY, now - SAMPLE_RETENTION_MS);
  const points = await readChangePoints(database, clusterId, { kinds: [q.kind], namespace: q.namespace, name: q.name, toMs });
  const out: StoredSample[] = [];
  for (const series of bySeries(points).values()) out.push(...renderRange(series, fromMs, toMs).map(asSample));
  return out.sort((a, b) => a.at - b.at || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

export interface RollupPoint {
  kind: 'node' | 'pod' | 'cluster';
  namespace: string;
  name: string;
  bucketStart: number;
  samples: number;
  cpuMilliAvg: number;
  cpuMilliMax: number;
  memoryBytesAvg: number;
  memoryBytesMax: number;
}

export interface RollupQuery {
  resolution: Resolution;
  kind: 'node' | 'pod' | 'cluster';
  namespace?: string;
  name?: string;
  fromMs: number;
  /** Not after the cluster's now: the open interval of each series is counted up to here. */
  toMs: number;
}

type Bucket = Omit<RollupPoint, 'cpuMilliAvg' | 'memoryBytesAvg'> & { cpuMilliSum: number; memoryBytesSum: number };

/**
 * Per-minute (kept 6 h) or per-hour (kept 35 days) usage of nodes, pods or the whole cluster
 * (`kind: 'cluster'`, the sum over nodes), ordered by bucket then name: the stored buckets of closed
 * intervals plus what each series' current value adds up to `toMs`.
 */
export async function readRollups(database: Database, clusterId: string, q: RollupQuery): Promise<RollupPoint[]> {
  const conds = [
    eq(metricRollups.clusterId, clusterId),
    eq(metricRollups.resolution, q.resolution),
    eq(metricRollups.kind, q.kind),
    gte(metricRollups.bucketStart, q.fromMs),
    lte(metricRollups.bucketStart, q.toMs),
  ];
  if (q.namespace !== undefined) conds.push(eq(metricRollups.namespace, q.namespace));
  if (q.name !== undefined) conds.push(eq(metricRollups.name, q.name));
  const rows = await database.db
    .select()
    .from(metricRollups)
    .where(and(...conds))
    .all();
  const buckets = new Map<string, Bucket>();
  const add = (b: Bucket) => {
    const key = `${b.bucketStart}/${b.namespace}/${b.name}`;
    const had = buckets.get(key);
    if (!had) return void buckets.set(key, { ...b });
    had.samples += b.samples;
    had.cpuMilliSum += b.cpuMilliSum;
    had.memoryBytesSum += b.memoryBytesSum;
    had.cpuMilliMax = Math.max(had.cpuMilliMax, b.cpuMilliMax);
    had.memoryBytesMax = Math.max(had.memoryBytesMax, b.memoryBytesMax);
  };
  for (const r of rows) add({ ...r, kind: r.kind as Bucket['kind'] });

  const bucketMs = q.resolution === RESOLUTIONS.minute.key ? RESOLUTIONS.minute.ms : RESOLUTIONS.hour.ms;
  // Closed intervals are stored; each series' last point holds from its time on.
  const points = await readChangePoints(database, clusterId, { kinds: [q.kind], namespace: q.namespace, name: q.name });
  for (const series of bySeries(points).values()) {
    const open = series[series.length - 1];
    if (open.at > q.toMs) continue;
    for (const share of bucketShares(open, open.at, q.toMs + 1, bucketMs, q.fromMs)) {
      if (share.bucketStart < q.fromMs || share.bucketStart > q.toMs) continue;
      add({ kind: open.kind, namespace: open.namespace, name: open.name, ...share });
    }
  }
  return [...buckets.values()]
    .sort((a, b) => a.bucketStart - b.bucketStart || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
    .map((b) => ({
      kind: b.kind,
      namespace: b.namespace,
      name: b.name,
      bucketStart: b.bucketStart,
      samples: b.samples,
      cpuMilliAvg: b.cpuMilliSum / b.samples,
      cpuMilliMax: b.cpuMilliMax,
      memoryBytesAvg: b.memoryBytesSum / b.samples,
      memoryBytesMax: b.memoryBytesMax,
    }));
}

/** The newest scrape of one pod, if it has one. */
export async function latestPodSample(
  database: Database,
  clusterId: string,
  namespace: string,
  name: string,
  nowMs?: number,
): Promise<StoredSample | undefined> {
  const at = await scrapeInstant(database, clusterId, nowMs);
  if (at === undefined) return undefined;
  const series = await readChangePoints(database, clusterId, { kinds: ['pod'], namespace, name, toMs: at });
  const s = renderAt(series, at);
  return s ? asSample(s) : undefined;
}

/** What autoscalers read of the metrics pipeline: pod usage, newest or since a time (the HPA, the VPA recommender). */
export interface PodUsageReader {
  latest(): Promise<StoredSample[]>;
  since(fromMs: number): Promise<StoredSample[]>;
}

export function podUsageReader(store: { database: Database }, clusterId: string, nowMs?: number): PodUsageReader {
  return {
    latest: () => latestSamples(store.database, clusterId, 'pod', nowMs),
    since: (fromMs) => readSamples(store.database, clusterId, { kind: 'pod', fromMs }, nowMs),
  };
}
