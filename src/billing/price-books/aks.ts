import { usd, type PriceBook } from './types.ts';

const base = {
  provider: 'aks' as const,
  controlPlaneHour: { free: 0, standard: usd('0.10'), premium: usd('0.60') },
  granularityMs: 1000,
  podBilledTiers: [],
  // Azure sells managed disks by size tier; kates prorates the 128 GiB tier per GiB-month:
  // E10 Standard SSD $9.60, P10 Premium SSD $19.71, S10 Standard HDD $5.89 (East US list prices).
  storageGiBMonth: {
    StandardSSD_LRS: usd('0.075'),
    Premium_LRS: usd('0.154'),
    Standard_LRS: usd('0.046'),
  },
  storageClassTypes: {
    default: 'StandardSSD_LRS',
    'managed-csi': 'StandardSSD_LRS',
    'managed-csi-premium': 'Premium_LRS',
    'managed-premium': 'Premium_LRS',
  },
  defaultVolumeType: 'StandardSSD_LRS',
  // Standard Load Balancer, first five rules: $0.025 per hour.
  loadBalancerHour: usd('0.025'),
};

const sources = [
  'AKS tiers: Free $0, Standard $0.10, Premium $0.60 per cluster-hour (shared/pricing.md §4.1)',
  'Azure VMs per second; 5-minute minimum per VM start from 1 June 2025 (Microsoft Q&A 2259765, shared/pricing.md §4.3)',
  'Managed disk and Standard Load Balancer public list prices, East US',
];

export const aksPriceBooks: PriceBook[] = [
  // Before June 2025 a VM was billed per second with a 1-minute minimum.
  { ...base, version: 'aks-2024-01', effectiveFrom: '2024-01-01', sources, nodeMinimumMs: 60_000 },
  { ...base, version: 'aks-2025-06', effectiveFrom: '2025-06-01', sources, nodeMinimumMs: 300_000 },
];
