import type { InstanceFamily, InstanceType, ProviderCatalog } from './types.ts';

/** GKE Standard's default max pods per node (the --max-pods-per-node default for VPC-native clusters). */
const GKE_MAX_PODS = 110;

/** e2-standard-2 at $0.067006 in us-central1 is from shared/pricing.md §4.2; the others are commonly
 * published Compute Engine prices, not re-checked against the Cloud Billing catalog. Machine memory is sold in GB; kates treats it as GiB. */
function prices(usCentral: number, euWest: number): Record<string, number> {
  return { 'us-central1': usCentral, 'europe-west1': euWest };
}

function shape(name: string, family: InstanceFamily, vcpu: number, memoryGiB: number, usCentral: number, euWest: number): InstanceType {
  return { name, family, vcpu, memoryGiB, maxPods: GKE_MAX_PODS, hourlyMicroUsd: prices(usCentral, euWest) };
}

export const gkeCatalog: ProviderCatalog = {
  provider: 'gke',
  regions: {
    'us-central1': ['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f'],
    'europe-west1': ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'],
  },
  // Autopilot bills pod requests instead of nodes (shared/pricing.md §4.1).
  tiers: ['standard', 'autopilot'],
  defaultTier: 'standard',
  instanceTypes: [
    shape('e2-medium', 'burstable', 2, 4, 33_503, 36_843),
    shape('e2-standard-2', 'general', 2, 8, 67_006, 73_686),
    shape('e2-standard-4', 'general', 4, 16, 134_012, 147_372),
    shape('e2-standard-8', 'general', 8, 32, 268_024, 294_744),
    shape('e2-standard-16', 'general', 16, 64, 536_048, 589_488),
    shape('e2-highcpu-2', 'compute', 2, 2, 49_468, 54_400),
    shape('e2-highcpu-4', 'compute', 4, 4, 98_936, 108_800),
    shape('e2-highcpu-8', 'compute', 8, 8, 197_872, 217_600),
    shape('e2-highmem-2', 'memory', 2, 16, 90_390, 99_402),
    shape('e2-highmem-4', 'memory', 4, 32, 180_780, 198_804),
    shape('n2-standard-2', 'general', 2, 8, 97_118, 106_850),
    shape('n2-standard-4', 'general', 4, 16, 194_236, 213_700),
  ],
};
