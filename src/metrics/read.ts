import { and, asc, desc, eq, gte, lte, max } from 'drizzle-orm';
import type { Database } from '../store/db.ts';
import { metricRollups, metricSamples } from '../store/schema/index.ts';
import type { ContainerSample } from './sampler.ts';
import type { Resolution } from './retention.ts';

export interface StoredSample {
  kind: 'node' | 'pod';
  namespace: string;
  name: string;
  /** Cluster-clock ms at the end of the window. */
  at: number;
  windowMs: number;
  cpuMilli: number;
  memoryBytes: number;
  containers?: ContainerSample[];
}

type SampleRow = typeof metricSamples.$inferSelect;

function toSample(r: SampleRow): StoredSample {
  return {
    kind: r.kind as StoredSample['kind'],
    namespace: r.namespace,
    name: r.name,
    at: r.at,
    windowMs: r.windowMs,
    cpuMilli: r.cpuMilli,
    memoryBytes: r.memoryBytes,
    ...(r.containers ? { containers: JSON.parse(r.containers) as ContainerSample[] } : {}),
  };
}

/** Cluster-clock time of the newest scrape, or undefined before the first one. */
export async function latestSampleTime(database: Database, clusterId: string): Promise<number | undefined> {
  const row = await database.db.select({ at: max(metricSamples.at) }).from(metricSamples).where(eq(metricSamples.clusterId, clusterId)).get();
  return row?.at ?? undefined;
}

/** The newest scrape of a cluster (what metrics-server would answer now), optionally one kind only. */
export async function latestSamples(database: Database, clusterId: string, kind?: 'node' | 'pod'): Promise<StoredSample[]> {
  const at = await latestSampleTime(database, clusterId);
  if (at === undefined) return [];
  const conds = [eq(metricSamples.clusterId, clusterId), eq(metricSamples.at, at)];
  if (kind) conds.push(eq(metricSamples.kind, kind));
  const rows = await database.db.select().from(metricSamples).where(and(...conds)).all();
  return rows.map(toSample);
}

export interface SampleQuery {
  kind: 'node' | 'pod';
  namespace?: string;
  name?: string;
  /** Inclusive bounds in cluster-clock ms. */
  fromMs?: number;
  toMs?: number;
}

/** Raw samples within the rolling window (15 min), oldest first. */
export async function readSamples(database: Database, clusterId: string, q: SampleQuery): Promise<StoredSample[]> {
  const conds = [eq(metricSamples.clusterId, clusterId), eq(metricSamples.kind, q.kind)];
  if (q.namespace !== undefined) conds.push(eq(metricSamples.namespace, q.namespace));
  if (q.name !== undefined) conds.push(eq(metricSamples.name, q.name));
  if (q.fromMs !== undefined) conds.push(gte(metricSamples.at, q.fromMs));
  if (q.toMs !== undefined) conds.push(lte(metricSamples.at, q.toMs));
  const rows = await database.db.select().from(metricSamples).where(and(...conds)).orderBy(asc(metricSamples.at)).all();
  return rows.map(toSample);
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
  toMs: number;
}

/**
 * Per-minute (kept 6 h) or per-hour (kept 35 days) usage of nodes, pods or the whole cluster
 * (`kind: 'cluster'`, the sum over nodes), ordered by bucket then name.
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
    .orderBy(asc(metricRollups.bucketStart), asc(metricRollups.namespace), asc(metricRollups.name))
    .all();
  return rows.map((r) => ({
    kind: r.kind as RollupPoint['kind'],
    namespace: r.namespace,
    name: r.name,
    bucketStart: r.bucketStart,
    samples: r.samples,
    cpuMilliAvg: r.cpuMilliSum / r.samples,
    cpuMilliMax: r.cpuMilliMax,
    memoryBytesAvg: r.memoryBytesSum / r.samples,
    memoryBytesMax: r.memoryBytesMax,
  }));
}

/** The newest sample of one pod, if it has one in the window. */
export async function latestPodSample(database: Database, clusterId: string, namespace: string, name: string): Promise<StoredSample | undefined> {
  const row = await database.db
    .select()
    .from(metricSamples)
    .where(and(eq(metricSamples.clusterId, clusterId), eq(metricSamples.kind, 'pod'), eq(metricSamples.namespace, namespace), eq(metricSamples.name, name)))
    .orderBy(desc(metricSamples.at))
    .limit(1)
    .get();
  return row ? toSample(row) : undefined;
}
