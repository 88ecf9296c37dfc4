import { usd, type PriceBook } from './types.ts';

export const gkePriceBooks: PriceBook[] = [
  {
    provider: 'gke',
    version: 'gke-2025-01',
    effectiveFrom: '2025-01-01',
    sources: [
      'cloud.google.com/kubernetes-engine/pricing: $0.10 per cluster-hour in 1-second increments, $74.40 monthly free tier, Autopilot per-second with no minimum (shared/pricing.md §4.1, §4.3)',
      'Compute Engine per-second billing with a 1-minute minimum (shared/pricing.md §4.3)',
      'Autopilot general-purpose rates in us-central1: $0.0445 vCPU-hour, $0.0049225 GiB-hour, $0.0000548 ephemeral GiB-hour (shared/pricing.md §4.1)',
      'Persistent Disk and forwarding-rule public list prices, us-central1',
    ],
    controlPlaneHour: { standard: usd('0.10'), autopilot: usd('0.10') },
    // Extended release channel: $0.50 per cluster-hour on top of the fee once the version is past
    // standard support (cloud.google.com/kubernetes-engine/pricing, "extended support"; not re-checked).
    extendedSupportSurchargeHour: usd('0.50'),
    granularityMs: 1000,
    nodeMinimumMs: 60_000,
    podBilledTiers: ['autopilot'],
    autopilot: { vcpuHour: usd('0.0445'), memoryGiBHour: usd('0.0049225'), ephemeralGiBHour: usd('0.0000548') },
    // $74.40 = 744 h × $0.10: one zonal or Autopilot cluster for a 31-day month. Regional clusters
    // are not eligible; intervals mark them with `regional: true`.
    freeTier: { monthlyMicro: 74_400_000, tiers: ['standard', 'autopilot'] },
    storageGiBMonth: {
      'pd-standard': usd('0.04'),
      'pd-balanced': usd('0.10'),
      'pd-ssd': usd('0.17'),
    },
    storageClassTypes: { standard: 'pd-standard', 'standard-rwo': 'pd-balanced', 'premium-rwo': 'pd-ssd' },
    defaultVolumeType: 'pd-balanced',
    // A forwarding rule (one of the first five): $0.025 per hour.
    loadBalancerHour: usd('0.025'),
  },
];
