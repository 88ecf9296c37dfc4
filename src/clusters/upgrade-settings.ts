import type { Provider } from '../billing/catalog.ts';

/**
 * Each provider's surge upgrade model, with its documented defaults:
 * - GKE surge upgrades: max-surge-upgrade 1, max-unavailable-upgrade 0; counts only; GKE upgrades
 *   maxSurge + maxUnavailable nodes at once (cloud.google.com/kubernetes-engine/docs/concepts/node-pool-upgrade-strategies).
 * - AKS: maxSurge 10% of the pool (rounded up) unless set, maxUnavailable 0; it cordons and drains as
 *   many nodes at once as it has buffer nodes (learn.microsoft.com/azure/aks/upgrade-aks-node-pools-rolling).
 * - EKS managed node groups: updateConfig maxUnavailable 1; the scale-up phase launches the larger of
 *   twice the node group's Availability Zones and maxUnavailable, then drains maxUnavailable nodes at a
 *   time (docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html). There is no maxSurge.
 */
export const SURGE_DEFAULTS: Record<Provider, { maxSurge: string; maxUnavailable: string }> = {
  gke: { maxSurge: '1', maxUnavailable: '0' },
  aks: { maxSurge: '10%', maxUnavailable: '0' },
  eks: { maxSurge: '2x-zones', maxUnavailable: '1' },
};

/** How long a drain may be refused (PodDisruptionBudgets) before the provider acts: GKE evicts anyway
 * after 1 h; AKS fails the upgrade after its 30 min drain timeout; EKS fails after 15 min (PodEvictionFailure). */
export const DRAIN_TIMEOUT: Record<Provider, { ms: number; then: 'force' | 'fail' }> = {
  gke: { ms: 60 * 60_000, then: 'force' },
  aks: { ms: 30 * 60_000, then: 'fail' },
  eks: { ms: 15 * 60_000, then: 'fail' },
};

export interface SurgePlan {
  /** New nodes allowed above the pool's size at once. */
  surge: number;
  /** Nodes allowed below the pool's size at once. */
  unavailable: number;
  /** Old nodes cordoned and drained at once. */
  concurrency: number;
}

function resolve(value: string, count: number): number {
  return value.endsWith('%') ? Math.ceil((count * Number(value.slice(0, -1))) / 100) : Number(value);
}

/** The settings as the pool shows them: its own, else the provider's defaults. */
export function upgradeSettingsOf(
  provider: Provider,
  pool: { maxSurge: string | null; maxUnavailable: string | null },
): { maxSurge: string; maxUnavailable: string } {
  const d = SURGE_DEFAULTS[provider];
  return { maxSurge: pool.maxSurge ?? d.maxSurge, maxUnavailable: pool.maxUnavailable ?? d.maxUnavailable };
}

/** What a pool of `count` nodes over `zones` zones may do at once during a replacement. */
export function surgePlan(provider: Provider, pool: { maxSurge: string | null; maxUnavailable: string | null }, count: number, zones: number): SurgePlan {
  const s = upgradeSettingsOf(provider, pool);
  const unavailable = resolve(s.maxUnavailable, count);
  if (provider === 'eks') {
    const surge = Math.min(Math.max(count, 1), Math.max(2 * Math.max(zones, 1), unavailable));
    return { surge, unavailable, concurrency: Math.max(1, unavailable) };
  }
  const surge = resolve(s.maxSurge, count);
  return { surge, unavailable, concurrency: Math.max(1, surge + unavailable) };
}
