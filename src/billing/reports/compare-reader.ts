import type { Db } from '../../store/db.ts';
import type { Provider } from '../catalog.ts';
import { intervalsOverlapping } from '../interval-reader.ts';
import { priceUnderEveryOption, type PricedResult } from './price-under.ts';

export interface Comparison {
  clusterId: string;
  from: string;
  to: string;
  /** The provider and tier the cluster actually runs under. */
  actual: { provider: Provider; tier: string; region: string };
  results: PricedResult[];
}

/** The cluster's recorded usage in [fromMs, toMs) (cluster clock) priced under every provider and tier. */
export async function compareCluster(db: Db, cluster: { id: string; provider: Provider; tier: string; region: string }, fromMs: number, toMs: number): Promise<Comparison> {
  const intervals = (await intervalsOverlapping(db, [cluster.id], fromMs, toMs)).get(cluster.id) ?? [];
  const results = priceUnderEveryOption(intervals, { provider: cluster.provider, region: cluster.region }, fromMs, toMs, { freeTier: 'calendar-months' });
  return {
    clusterId: cluster.id,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    actual: { provider: cluster.provider, tier: cluster.tier, region: cluster.region },
    results,
  };
}
