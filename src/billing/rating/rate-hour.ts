import type { Provider } from '../catalog.ts';
import type { UsageInterval } from '../intervals.ts';
import { priceBookAt } from '../price-book.ts';
import { rateWindow, windowTier, type RatedLine } from './rate-window.ts';

export const HOUR_MS = 3_600_000;

/** What rating needs to know about a cluster besides its intervals (provider and region never change). */
export interface BilledCluster {
  tenantId: string;
  clusterId: string;
  provider: Provider;
  region: string;
  /** The tier at creation, used only if no cluster interval touches the hour. */
  tier: string;
}

/** A row of `usage_records` with its attributes still an object. */
export interface UsageRecord extends RatedLine {
  tenantId: string;
  clusterId: string;
  hourStart: number;
  provider: Provider;
  tier: string;
  region: string;
  priceBook: string;
}

export function hourFloor(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/**
 * The usage records of one cluster for the cluster-clock hour starting at `hourStart`, priced with
 * the provider's book in force at that hour. Pure: same intervals, same records. `untilMs` prices a
 * current hour only up to then (reports' estimate of the hour not yet over).
 */
export function rateHour(cluster: BilledCluster, intervals: UsageInterval[], hourStart: number, untilMs = hourStart + HOUR_MS): UsageRecord[] {
  const book = priceBookAt(cluster.provider, hourStart);
  const hourEnd = Math.min(untilMs, hourStart + HOUR_MS);
  const tier = windowTier(intervals, hourStart, hourEnd) ?? cluster.tier;
  return rateWindow(intervals, { book, region: cluster.region }, hourStart, hourEnd).map((line) => ({
    ...line,
    tenantId: cluster.tenantId,
    clusterId: cluster.clusterId,
    hourStart,
    provider: cluster.provider,
    tier,
    region: cluster.region,
    priceBook: book.version,
  }));
}
