import { and, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../../store/db.ts';
import { usageRecords } from '../../store/schema/index.ts';
import type { Provider } from '../catalog.ts';
import { intervalsOverlapping } from '../interval-reader.ts';
import { money, type Money } from '../money.ts';
import type { UsageRecord } from '../rating/rate-hour.ts';
import { asBilledResult } from './as-billed.ts';
import { priceUnderEveryOption, type PricedResult } from './price-under.ts';
import { readClusterClocks, tailRecords } from './tail.ts';

const HOUR_MS = 3_600_000;

export interface Comparison {
  clusterId: string;
  from: string;
  to: string;
  hours: number;
  /** The provider and tier the cluster actually runs under. */
  actual: { provider: Provider; tier: string; region: string };
  /** The actual provider and tier's result is the cluster's bill (rated + estimated); the others
   * price the same recorded usage as if it had run there. */
  results: PricedResult[];
  ratedThrough: string | null;
  estimated: Money;
}

/** A cluster's rated records in the hours of [fromMs, toMs) and the estimate of the unrated ones. */
export async function clusterRecords(
  db: Db,
  clusterId: string,
  fromMs: number,
  toMs: number,
  realNowMs: number,
): Promise<{ rated: UsageRecord[]; tail: UsageRecord[]; ratedUntil: number | null }> {
  const rows = await db
    .select()
    .from(usageRecords)
    .where(and(eq(usageRecords.clusterId, clusterId), gte(usageRecords.hourStart, fromMs), lt(usageRecords.hourStart, toMs)))
    .orderBy(usageRecords.hourStart, usageRecords.lineItem, usageRecords.subject)
    .all();
  const rated = rows.map((r) => ({ ...r, provider: r.provider as Provider, attributes: JSON.parse(r.attributes) as Record<string, unknown> }));
  const [clock] = await readClusterClocks(db, [clusterId], realNowMs);
  const tail = clock ? await tailRecords(db, [clock], fromMs, toMs) : [];
  return { rated, tail, ratedUntil: clock?.ratedUntil ?? null };
}

/** The cluster's usage in [fromMs, toMs) (cluster clock) priced under every provider and tier. */
export async function compareCluster(
  db: Db,
  cluster: { id: string; provider: Provider; tier: string; region: string },
  fromMs: number,
  toMs: number,
  realNowMs: number,
): Promise<Comparison> {
  // Records are hourly: the window is whole hours, from the hour `fromMs` falls in.
  const from = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const intervals = (await intervalsOverlapping(db, [cluster.id], from, toMs)).get(cluster.id) ?? [];
  const results = priceUnderEveryOption(intervals, { provider: cluster.provider, region: cluster.region }, from, toMs, { freeTier: 'calendar-months' });
  const { rated, tail, ratedUntil } = await clusterRecords(db, cluster.id, from, toMs, realNowMs);
  const billed = asBilledResult([...rated, ...tail], cluster);
  const i = results.findIndex((r) => r.provider === cluster.provider && r.tier === cluster.tier);
  if (i >= 0) results[i] = billed;
  const firstTail = tail.length > 0 ? Math.min(...tail.map((r) => r.hourStart)) : null;
  return {
    clusterId: cluster.id,
    from: new Date(from).toISOString(),
    to: new Date(toMs).toISOString(),
    hours: (toMs - from) / HOUR_MS,
    actual: { provider: cluster.provider, tier: cluster.tier, region: cluster.region },
    results,
    ratedThrough: firstTail !== null ? new Date(firstTail).toISOString() : ratedUntil !== null ? new Date(Math.min(ratedUntil, toMs)).toISOString() : null,
    estimated: money(tail.reduce((a, r) => a + r.amountMicro, 0)),
  };
}
