import type { Provider } from '../catalog/types.ts';

/** Nano-USD (1e-9 USD), the unit of every rate in a price book. */
export type NanoUsd = number;

/** Hours in the month that per-month prices are prorated over: the convention of all three
 * providers' calculators (shared/pricing.md §4.2, "Monthly = hourly × 730"). */
export const HOURS_PER_BILLING_MONTH = 730;

export interface AutopilotRates {
  /** Per vCPU-hour of pod CPU requests. */
  vcpuHour: NanoUsd;
  /** Per GiB-hour of pod memory requests. */
  memoryGiBHour: NanoUsd;
  /** Per GiB-hour of pod ephemeral-storage requests. */
  ephemeralGiBHour: NanoUsd;
}

export interface FreeTierCredit {
  /** Credit per billing account (kates: tenant) and calendar month, in micro-USD; unused credit lapses. */
  monthlyMicro: number;
  /** Tiers whose control-plane fee the credit may pay for. */
  tiers: string[];
}

/**
 * One provider's prices from a date on. A new price means a new version appended with a later
 * `effectiveFrom`; old versions stay so past hours re-rate to the same amounts.
 */
export interface PriceBook {
  provider: Provider;
  version: string;
  /** ISO date (UTC) from which this book applies, compared with the cluster-clock hour rated. */
  effectiveFrom: string;
  sources: string[];
  /** Control-plane fee per cluster-hour by tier, prorated per second with no minimum. */
  controlPlaneHour: Record<string, NanoUsd>;
  /** Usage is billed in increments of this many ms (interval ends are aligned to this grid). */
  granularityMs: number;
  /** A VM is billed at least this long per start (the shortfall is charged in the hour it stops). */
  nodeMinimumMs: number;
  /** Tiers in which nodes are the provider's and are not billed; pod requests are billed instead. */
  podBilledTiers: string[];
  autopilot?: AutopilotRates;
  freeTier?: FreeTierCredit;
  /** Block storage per GiB-month by volume type (EBS type, PD type, Azure disk SKU). */
  storageGiBMonth: Record<string, NanoUsd>;
  /** Storage class names this provider ships, mapped to their volume type. */
  storageClassTypes: Record<string, string>;
  /** The volume type of the provider's default StorageClass, used when nothing else matches. */
  defaultVolumeType: string;
  /** One LoadBalancer Service per hour (the provider's basic L4 load balancer or forwarding rule). */
  loadBalancerHour: NanoUsd;
  /**
   * The control-plane rate per cluster-hour once the cluster's Kubernetes version is past standard
   * support (src/billing/support-calendar.ts); it replaces the tier's rate. Only EKS bills it.
   */
  extendedSupportHour?: NanoUsd;
  /** Added to the tier's rate per cluster-hour past standard support, for clusters on the provider's
   * extended release channel (GKE's Extended channel). */
  extendedSupportSurchargeHour?: NanoUsd;
  /** Node prices that differ from the catalog's list prices from this version on: type → region → µ$/h. */
  nodePriceOverrides?: Record<string, Record<string, number>>;
}

/** USD decimal → nano-USD, for writing published prices legibly in the books. */
export function usd(amount: string): NanoUsd {
  const [whole, frac = ''] = amount.split('.');
  return Number(whole) * 1_000_000_000 + Number(frac.padEnd(9, '0'));
}
