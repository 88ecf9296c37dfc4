import { and, eq, lt, sql } from 'drizzle-orm';
import type { Database, WriteStatement } from '../store/db.ts';
import { metricRollups, metricSamples } from '../store/schema/index.ts';
import type { UsageSample } from './sampler.ts';
import { HOUR_ROLLUP_RETENTION_MS, MAX_BOUND_PARAMS, MINUTE_ROLLUP_RETENTION_MS, RESOLUTIONS, SAMPLE_RETENTION_MS } from './retention.ts';

function chunks<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_BOUND_PARAMS / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

type RollupRow = typeof metricRollups.$inferInsert;

function rollupRows(clusterId: string, at: number, samples: UsageSample[]): RollupRow[] {
  const rows: RollupRow[] = [];
  const nodes = samples.filter((s) => s.kind === 'node');
  const cluster = { cpu: nodes.reduce((a, s) => a + s.cpuMilli, 0), mem: nodes.reduce((a, s) => a + s.memoryBytes, 0) };
  for (const res of Object.values(RESOLUTIONS)) {
    const bucketStart = Math.floor(at / res.ms) * res.ms;
    const row = (kind: string, namespace: string, name: string, cpu: number, mem: number): RollupRow => ({
      clusterId,
      resolution: res.key,
      kind,
      namespace,
      name,
      bucketStart,
      samples: 1,
      cpuMilliSum: cpu,
      cpuMilliMax: cpu,
      memoryBytesSum: mem,
      memoryBytesMax: mem,
    });
    for (const s of samples) rows.push(row(s.kind, s.namespace, s.name, s.cpuMilli, s.memoryBytes));
    if (nodes.length) rows.push(row('cluster', '', '', cluster.cpu, cluster.mem));
  }
  return rows;
}

/**
 * The statements that store one scrape: raw samples, the minute and hour rollups (merged into any
 * existing bucket), and pruning of what fell out of each retention window. One atomic write.
 */
export function sampleStatements(database: Database, clusterId: string, at: number, windowMs: number, samples: UsageSample[]): WriteStatement[] {
  const { db } = database;
  const out: WriteStatement[] = [];
  const sampleRows = samples.map((s) => ({
    clusterId,
    kind: s.kind,
    namespace: s.namespace,
    name: s.name,
    at,
    windowMs,
    cpuMilli: s.cpuMilli,
    memoryBytes: s.memoryBytes,
    containers: s.containers ? JSON.stringify(s.containers) : null,
  }));
  for (const part of chunks(sampleRows, 9)) out.push({ query: db.insert(metricSamples).values(part).onConflictDoNothing() });
  for (const part of chunks(rollupRows(clusterId, at, samples), 11)) {
    out.push({
      query: db
        .insert(metricRollups)
        .values(part)
        .onConflictDoUpdate({
          target: [metricRollups.clusterId, metricRollups.resolution, metricRollups.kind, metricRollups.namespace, metricRollups.name, metricRollups.bucketStart],
          set: {
            samples: sql`${metricRollups.samples} + excluded.samples`,
            cpuMilliSum: sql`${metricRollups.cpuMilliSum} + excluded.cpu_milli_sum`,
            cpuMilliMax: sql`max(${metricRollups.cpuMilliMax}, excluded.cpu_milli_max)`,
            memoryBytesSum: sql`${metricRollups.memoryBytesSum} + excluded.memory_bytes_sum`,
            memoryBytesMax: sql`max(${metricRollups.memoryBytesMax}, excluded.memory_bytes_max)`,
          },
        }),
    });
  }
  out.push({ query: db.delete(metricSamples).where(and(eq(metricSamples.clusterId, clusterId), lt(metricSamples.at, at - SAMPLE_RETENTION_MS))) });
  for (const [res, keep] of [
    [RESOLUTIONS.minute.key, MINUTE_ROLLUP_RETENTION_MS],
    [RESOLUTIONS.hour.key, HOUR_ROLLUP_RETENTION_MS],
  ] as const) {
    out.push({
      query: db.delete(metricRollups).where(and(eq(metricRollups.clusterId, clusterId), eq(metricRollups.resolution, res), lt(metricRollups.bucketStart, at - keep))),
    });
  }
  return out;
}

/** Drops every sample and rollup of a cluster (cluster deletion). */
export async function purgeClusterMetrics(database: Database, clusterId: string): Promise<void> {
  await database.atomicWrite([
    { query: database.db.delete(metricSamples).where(eq(metricSamples.clusterId, clusterId)) },
    { query: database.db.delete(metricRollups).where(eq(metricRollups.clusterId, clusterId)) },
  ]);
}
