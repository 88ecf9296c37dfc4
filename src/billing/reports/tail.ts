import { and, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import { chunk } from '../../lib/chunk.ts';
import { clusterTime } from '../../lib/clock.ts';
import { MAX_LIST_VALUES, type Db } from '../../store/db.ts';
import { billingCursors, clusters, usageIntervals, usageRecords } from '../../store/schema/index.ts';
import { isProvider, type Provider } from '../catalog.ts';
import { intervalsOverlapping } from '../interval-reader.ts';
import { HOUR_MS, hourFloor, rateHour, type UsageRecord } from '../rating/rate-hour.ts';

/**
 * The not-yet-rated tail of a cluster's bill. Rating closes a cluster-clock hour a settle time after
 * it ends, every BILLING_MS; until then (and after a `clock:advance`, for every hour jumped over) the
 * hours past the cluster's cursor have no records. Reports price those hours here, with the same
 * `rateHour` the rating will run, the current hour up to the cluster's now, and show them as an
 * estimate: complete hours come out as the rating will write them; the current hour grows.
 */

export interface BilledClusterClock {
  id: string;
  tenantId: string;
  name: string;
  provider: Provider;
  region: string;
  tier: string;
  labels: Record<string, string>;
  /** Cluster-clock now. */
  nowMs: number;
  /** Every hour before this is rated (null: nothing rated yet). */
  ratedUntil: number | null;
}

export interface Tail {
  /** Records of the hours not yet rated, in [fromMs, toMs) and before each cluster's now. */
  records: UsageRecord[];
  /** The clusters that were read, with their clocks and cursors. */
  clusters: BilledClusterClock[];
}

type ClusterRow = typeof clusters.$inferSelect;

/** A cluster row as reports need it: its clock read at `realNowMs`, its cursor. */
export function clusterClockOf(
  row: Pick<ClusterRow, 'id' | 'tenantId' | 'name' | 'provider' | 'region' | 'tier' | 'settings' | 'clockOriginMs' | 'timeScale' | 'clockSkewMs'>,
  ratedUntil: number | null,
  realNowMs: number,
): BilledClusterClock {
  let labels: Record<string, string> = {};
  try {
    labels = (JSON.parse(row.settings) as { labels?: Record<string, string> }).labels ?? {};
  } catch {
    labels = {};
  }
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    provider: row.provider as Provider,
    region: row.region,
    tier: row.tier,
    labels,
    nowMs: clusterTime(realNowMs, { originMs: row.clockOriginMs, timeScale: row.timeScale, skewMs: row.clockSkewMs }),
    ratedUntil,
  };
}

/** The tenant's clusters that still have something unrated: no cursor yet, an open interval, or one
 * that ended after the cursor. Optionally only the given clusters. */
export async function clustersWithTail(db: Db, tenantId: string, realNowMs: number, clusterIds?: string[]): Promise<BilledClusterClock[]> {
  const pending = await db
    .selectDistinct({ clusterId: usageIntervals.clusterId })
    .from(usageIntervals)
    .leftJoin(billingCursors, eq(billingCursors.clusterId, usageIntervals.clusterId))
    .where(
      and(
        eq(usageIntervals.tenantId, tenantId),
        clusterIds ? inArray(usageIntervals.clusterId, clusterIds.slice(0, MAX_LIST_VALUES)) : undefined,
        or(isNull(billingCursors.clusterId), isNull(usageIntervals.endedAt), sql`${usageIntervals.endedAt} > ${billingCursors.ratedUntil}`),
      ),
    )
    .all();
  return readClusterClocks(
    db,
    pending.map((p) => p.clusterId),
    realNowMs,
  );
}

export async function readClusterClocks(db: Db, ids: string[], realNowMs: number): Promise<BilledClusterClock[]> {
  const out: BilledClusterClock[] = [];
  for (const list of chunk(ids, MAX_LIST_VALUES)) {
    const rows = await db
      .select({ cluster: clusters, ratedUntil: billingCursors.ratedUntil })
      .from(clusters)
      .leftJoin(billingCursors, eq(billingCursors.clusterId, clusters.id))
      .where(inArray(clusters.id, list))
      .all();
    for (const r of rows) if (isProvider(r.cluster.provider)) out.push(clusterClockOf(r.cluster, r.ratedUntil, realNowMs));
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Prices the unrated hours of `list` whose start lies in [fromMs, toMs), each cluster up to its own
 * now. Hours that already have records (a re-rating ahead of the cursor) are left to them.
 */
export async function tailRecords(db: Db, list: BilledClusterClock[], fromMs: number, toMs: number): Promise<UsageRecord[]> {
  const firstHour = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
  const spans = new Map<string, [number, number]>();
  for (const c of list) {
    const lo = Math.max(firstHour, c.ratedUntil ?? firstHour);
    const hi = Math.min(toMs, c.nowMs);
    if (hi > lo) spans.set(c.id, [lo, hi]);
  }
  if (spans.size === 0) return [];
  const ids = [...spans.keys()];
  const from = Math.min(...[...spans.values()].map((s) => s[0]));
  const to = Math.max(...[...spans.values()].map((s) => s[1]));
  const intervals = await intervalsOverlapping(db, ids, from, to);
  // Hours before a cluster's first interval have nothing to price: start the look for records at the
  // earliest hour any cluster can have (a cluster without a cursor would otherwise widen it to `fromMs`).
  for (const [id, span] of spans) {
    const mine = intervals.get(id);
    if (mine && mine.length > 0) span[0] = Math.max(span[0], hourFloor(Math.min(...mine.map((i) => i.startedAt))));
    else spans.delete(id);
  }
  if (spans.size === 0) return [];
  const recordsFrom = Math.min(...[...spans.values()].map((s) => s[0]));
  const rated = new Set<string>();
  for (const part of chunk(ids, MAX_LIST_VALUES)) {
    const rows = await db
      .selectDistinct({ clusterId: usageRecords.clusterId, hourStart: usageRecords.hourStart })
      .from(usageRecords)
      .where(and(inArray(usageRecords.clusterId, part), gte(usageRecords.hourStart, recordsFrom)))
      .all();
    for (const r of rows) rated.add(`${r.clusterId}/${r.hourStart}`);
  }
  const out: UsageRecord[] = [];
  for (const c of list) {
    const span = spans.get(c.id);
    const mine = intervals.get(c.id);
    if (!span || !mine || mine.length === 0) continue;
    const cluster = { tenantId: c.tenantId, clusterId: c.id, provider: c.provider, region: c.region, tier: c.tier };
    for (let hour = span[0]; hour < span[1]; hour += HOUR_MS) {
      if (rated.has(`${c.id}/${hour}`)) continue;
      out.push(...rateHour(cluster, mine, hour, Math.min(hour + HOUR_MS, c.nowMs)));
    }
  }
  return out;
}
