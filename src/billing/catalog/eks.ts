import type { InstanceType, ProviderCatalog } from './types.ts';

/**
 * EKS max pods follow the VPC CNI's ENI limit: ENIs × (IPv4 addresses per ENI − 1) + 2, as in AWS'
 * eni-max-pods.txt (m5.large: 3 × (10 − 1) + 2 = 29).
 */
function eniMaxPods(enis: number, ipsPerEni: number): number {
  return enis * (ipsPerEni - 1) + 2;
}

/** us-east-1 and us-west-2 share list prices for these families; eu-west-1 is dearer. m5.large at
 * $0.096 in us-east-1 is from shared/pricing.md §4.2; the rest are commonly published Linux on-demand
 * list prices, not re-checked against the AWS Price List API: refresh them with a new price-book version. */
function prices(usEast: number, euWest: number): Record<string, number> {
  return { 'us-east-1': usEast, 'us-west-2': usEast, 'eu-west-1': euWest };
}

const types: InstanceType[] = [
  { name: 't3.medium', family: 'burstable', vcpu: 2, memoryGiB: 4, maxPods: eniMaxPods(3, 6), hourlyMicroUsd: prices(41_600, 45_600) },
  { name: 't3.large', family: 'burstable', vcpu: 2, memoryGiB: 8, maxPods: eniMaxPods(3, 12), hourlyMicroUsd: prices(83_200, 91_200) },
  { name: 'm5.large', family: 'general', vcpu: 2, memoryGiB: 8, maxPods: eniMaxPods(3, 10), hourlyMicroUsd: prices(96_000, 107_000) },
  { name: 'm5.xlarge', family: 'general', vcpu: 4, memoryGiB: 16, maxPods: eniMaxPods(4, 15), hourlyMicroUsd: prices(192_000, 214_000) },
  { name: 'm5.2xlarge', family: 'general', vcpu: 8, memoryGiB: 32, maxPods: eniMaxPods(4, 15), hourlyMicroUsd: prices(384_000, 428_000) },
  { name: 'm5.4xlarge', family: 'general', vcpu: 16, memoryGiB: 64, maxPods: eniMaxPods(8, 30), hourlyMicroUsd: prices(768_000, 856_000) },
  { name: 'c5.large', family: 'compute', vcpu: 2, memoryGiB: 4, maxPods: eniMaxPods(3, 10), hourlyMicroUsd: prices(85_000, 96_000) },
  { name: 'c5.xlarge', family: 'compute', vcpu: 4, memoryGiB: 8, maxPods: eniMaxPods(4, 15), hourlyMicroUsd: prices(170_000, 192_000) },
  { name: 'c5.2xlarge', family: 'compute', vcpu: 8, memoryGiB: 16, maxPods: eniMaxPods(4, 15), hourlyMicroUsd: prices(340_000, 384_000) },
  { name: 'r5.large', family: 'memory', vcpu: 2, memoryGiB: 16, maxPods: eniMaxPods(3, 10), hourlyMicroUsd: prices(126_000, 141_000) },
  { name: 'r5.xlarge', family: 'memory', vcpu: 4, memoryGiB: 32, maxPods: eniMaxPods(4, 15), hourlyMicroUsd: prices(252_000, 282_000) },
];

export const eksCatalog: ProviderCatalog = {
  provider: 'eks',
  regions: {
    'us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    'us-west-2': ['us-west-2a', 'us-west-2b', 'us-west-2c'],
    'eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  },
  // Extended support applies to Kubernetes versions past their 14 months of standard support.
  tiers: ['standard', 'extended'],
  defaultTier: 'standard',
  instanceTypes: types,
};
