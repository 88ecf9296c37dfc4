import { parseUsd } from '../money.ts';
import type { InstanceFamily, InstanceType, Provider, ProviderCatalog } from './types.ts';

/** One provider's data file (`data/<provider>.json`): regions and one price row per type and region. */
export interface CatalogData {
  provider: string;
  referenceRegion: string;
  regions: Array<{ region: string; zones: string[]; geography: string; priceFrom: string | null }>;
  prices: Array<{
    type: string;
    family: string;
    vcpu: number;
    memoryGiB: number;
    maxPods?: number;
    region: string;
    usdPerHour: string;
    source: string;
    date: string;
  }>;
}

/**
 * Builds a catalog from its data file. A type is priced in every region: at its own row there, else
 * at the row of the region that stands in for it (`priceFrom`, else the reference region), which
 * `priceRegions` records so a bill can say which region's list price it used.
 */
export function loadCatalog(
  data: CatalogData,
  opts: { tiers: string[]; defaultTier: string; maxPods: (row: CatalogData['prices'][number]) => number; cpu: (type: string) => InstanceType['cpu'] },
): ProviderCatalog & { geography: Record<string, string> } {
  const byType = new Map<string, InstanceType>();
  for (const row of data.prices) {
    let type = byType.get(row.type);
    if (!type) {
      type = {
        name: row.type,
        family: row.family as InstanceFamily,
        vcpu: row.vcpu,
        memoryGiB: row.memoryGiB,
        maxPods: opts.maxPods(row),
        cpu: opts.cpu(row.type),
        hourlyMicroUsd: {},
        priceRegions: {},
        priceSources: {},
      };
      byType.set(row.type, type);
    }
    type.hourlyMicroUsd[row.region] = parseUsd(row.usdPerHour);
    type.priceSources![row.region] = { source: row.source, date: row.date };
  }
  for (const type of byType.values()) {
    const own = { ...type.hourlyMicroUsd };
    for (const r of data.regions) {
      if (own[r.region] !== undefined) continue;
      const from = [r.priceFrom, data.referenceRegion].find((x) => x && own[x] !== undefined);
      if (!from) continue;
      type.hourlyMicroUsd[r.region] = own[from];
      type.priceRegions![r.region] = from;
    }
  }
  return {
    provider: data.provider as Provider,
    regions: Object.fromEntries(data.regions.map((r) => [r.region, r.zones])),
    geography: Object.fromEntries(data.regions.map((r) => [r.region, r.geography])),
    tiers: opts.tiers,
    defaultTier: opts.defaultTier,
    instanceTypes: [...byType.values()],
  };
}
