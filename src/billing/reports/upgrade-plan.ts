import { PROVIDERS, defaultTier, zonesOf, type Provider } from '../catalog.ts';
import type { UsageInterval } from '../intervals.ts';
import { surgePlan, upgradeSettingsOf } from '../../clusters/upgrade-settings.ts';
import { priceUnder } from './price-under.ts';
import { comparableRegion, nodeTypeMapper } from './same-shape.ts';
import type { LineItem } from './line-items.ts';
import type { Money } from '../money.ts';

const MIN_MS = 60_000;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** How long one batch of a surge upgrade takes (boot the new nodes, drain and remove the old ones) unless told. */
export const DEFAULT_MINUTES_PER_BATCH = 10;

export interface UpgradePlanPool {
  name: string;
  instanceType: string;
  count: number;
  /** The pool's own surge settings; they apply at its own provider only (the others use their defaults). */
  maxSurge?: string | null;
  maxUnavailable?: string | null;
  zones?: number;
}

export interface UpgradePlanPoolCost {
  name: string;
  instanceType: string;
  count: number;
  maxSurge: string;
  maxUnavailable: string;
  /** Nodes above the pool's size while it is upgraded. */
  surgeNodes: number;
  /** Rounds of cordon, drain and replace. */
  batches: number;
  hours: number;
  surgeNodeHours: number;
}

export interface UpgradePlanCost {
  provider: Provider;
  region: string;
  minutesPerBatch: number;
  pools: UpgradePlanPoolCost[];
  lineItems: LineItem[];
  total: Money;
  totalMicro: number;
  notes: string[];
}

/**
 * What the surge nodes of one version upgrade of every pool cost under each provider's surge model:
 * GKE surges maxSurge (1) nodes and replaces maxSurge + maxUnavailable at a time; AKS surges 10% of
 * the pool; EKS launches twice its zones in new nodes and replaces maxUnavailable (1) at a time. The
 * surge nodes run for every batch of `minutesPerBatch` and are priced as the same-shape instance type.
 */
export function priceUpgradePlan(
  source: { provider: Provider; region: string },
  pools: UpgradePlanPool[],
  startMs: number,
  minutesPerBatch = DEFAULT_MINUTES_PER_BATCH,
): UpgradePlanCost[] {
  return PROVIDERS.map((provider) => {
    const region = comparableRegion(provider, source);
    const mapper = nodeTypeMapper(provider);
    const intervals: UsageInterval[] = [];
    const costs = pools.map((pool) => {
      const own =
        provider === source.provider
          ? { maxSurge: pool.maxSurge ?? null, maxUnavailable: pool.maxUnavailable ?? null }
          : { maxSurge: null, maxUnavailable: null };
      const zones = pool.zones ?? zonesOf(provider, region).length;
      const plan = surgePlan(provider, own, pool.count, zones);
      const surgeNodes = Math.min(plan.surge, pool.count);
      const batches = pool.count === 0 ? 0 : Math.ceil(pool.count / Math.max(1, plan.concurrency));
      const durationMs = batches * minutesPerBatch * MIN_MS;
      for (let i = 0; i < surgeNodes && durationMs > 0; i++) {
        intervals.push({
          id: `plan_${pool.name}_${i}`,
          tenantId: '',
          clusterId: 'plan',
          kind: 'node',
          subject: `${pool.name}-surge-${i}`,
          attributes: { instanceType: pool.instanceType, pool: pool.name, surge: true },
          startedAt: startMs,
          endedAt: startMs + durationMs,
        });
      }
      const settings = upgradeSettingsOf(provider, own);
      const hours = durationMs / 3_600_000;
      return {
        name: pool.name,
        instanceType: mapper.map(pool.instanceType),
        count: pool.count,
        maxSurge: settings.maxSurge,
        maxUnavailable: settings.maxUnavailable,
        surgeNodes,
        batches,
        hours: round3(hours),
        surgeNodeHours: round3(surgeNodes * hours),
      };
    });
    const end = startMs + Math.max(MIN_MS, ...intervals.map((i) => (i.endedAt ?? startMs) - startMs));
    const priced = priceUnder(intervals, source, { provider, tier: defaultTier(provider) }, startMs, end, { freeTier: 'prorated' });
    const notes = [`Each batch is assumed to take ${minutesPerBatch} minutes; surge nodes are billed at on-demand prices with the provider's per-VM minimum.`];
    if (provider === 'eks')
      notes.push(
        'EKS has no maxSurge: a managed node group launches up to twice its Availability Zones in new nodes (never more than it has), then replaces maxUnavailable nodes at a time.',
      );
    return { provider, region, minutesPerBatch, pools: costs, lineItems: priced.lineItems, total: priced.total, totalMicro: priced.totalMicro, notes };
  });
}
