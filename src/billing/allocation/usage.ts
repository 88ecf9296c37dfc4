import { readRollups } from '../../metrics/read.ts';
import { RESOLUTIONS } from '../../metrics/retention.ts';
import type { Database } from '../../store/db.ts';
import type { AllocateInput } from './allocate.ts';

const HOUR_MS = 3_600_000;

/**
 * Each pod's average CPU and memory usage per cluster-clock hour, from the metrics pipeline's hourly
 * rollups (kept 35 days), for allocation's max(request, usage): OpenCost charges a pod what it
 * reserved or what it used, whichever is more, so a pod without requests still pays for its CPU.
 */
export async function podUsageByHour(database: Database, clusterId: string, fromMs: number, toMs: number): Promise<NonNullable<AllocateInput['usage']>> {
  const from = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const rollups = toMs > from ? await readRollups(database, clusterId, { resolution: RESOLUTIONS.hour.key, kind: 'pod', fromMs: from, toMs }) : [];
  const byKey = new Map(
    rollups.map((r) => [`${r.namespace}/${r.name}@${r.bucketStart}`, { cpuMilli: Math.round(r.cpuMilliAvg), memoryBytes: Math.round(r.memoryBytesAvg) }]),
  );
  return (podSubject, hourStart) => byKey.get(`${podSubject}@${hourStart}`);
}
