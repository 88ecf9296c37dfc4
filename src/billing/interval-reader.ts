import { and, gte, inArray, isNull, lt, or } from 'drizzle-orm';
import { chunk } from '../lib/chunk.ts';
import { MAX_LIST_VALUES, type Db } from '../store/db.ts';
import { usageIntervals } from '../store/schema/index.ts';
import type { IntervalKind, UsageInterval } from './intervals.ts';

type IntervalRow = typeof usageIntervals.$inferSelect;

export function toUsageInterval(row: IntervalRow): UsageInterval {
  return {
    id: row.id,
    tenantId: row.tenantId,
    clusterId: row.clusterId,
    kind: row.kind as IntervalKind,
    subject: row.subject,
    attributes: JSON.parse(row.attributes),
    startedAt: row.startedAt,
    endedAt: row.endedAt,
  };
}

/** Intervals of the given clusters that touch [fromMs, toMs), grouped by cluster. An interval that
 * ended exactly at `fromMs` is included: a VM minimum top-up may still fall due there. */
export async function intervalsOverlapping(db: Db, clusterIds: string[], fromMs: number, toMs: number): Promise<Map<string, UsageInterval[]>> {
  const byCluster = new Map<string, UsageInterval[]>();
  const rows: IntervalRow[] = [];
  for (const list of chunk(clusterIds, MAX_LIST_VALUES)) {
    rows.push(
      ...(await db
        .select()
        .from(usageIntervals)
        .where(
          and(
            inArray(usageIntervals.clusterId, list),
            lt(usageIntervals.startedAt, toMs),
            or(isNull(usageIntervals.endedAt), gte(usageIntervals.endedAt, fromMs)),
          ),
        )
        .all()),
    );
  }
  for (const row of rows) {
    const list = byCluster.get(row.clusterId) ?? [];
    list.push(toUsageInterval(row));
    byCluster.set(row.clusterId, list);
  }
  return byCluster;
}
