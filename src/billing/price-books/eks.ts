import { usd, type PriceBook } from './types.ts';

export const eksPriceBooks: PriceBook[] = [
  {
    provider: 'eks',
    version: 'eks-2024-04',
    // Extended support is billed at $0.60 from the April 2024 billing cycle.
    effectiveFrom: '2024-04-01',
    sources: [
      'AWS blog "Amazon EKS extended support for Kubernetes versions pricing" (shared/pricing.md §4.1)',
      'EC2 per-second billing, 60 s minimum (aws.amazon.com/about-aws/whats-new/2017/10/announcing-amazon-ec2-per-second-billing)',
      'EBS and ELB public list prices, us-east-1',
    ],
    controlPlaneHour: { standard: usd('0.10'), extended: usd('0.60') },
    // From the first hour a cluster's version is past standard support (src/billing/support-calendar.ts).
    extendedSupportHour: usd('0.60'),
    granularityMs: 1000,
    nodeMinimumMs: 60_000,
    podBilledTiers: [],
    storageGiBMonth: {
      gp3: usd('0.08'),
      gp2: usd('0.10'),
      io1: usd('0.125'),
      io2: usd('0.125'),
      st1: usd('0.045'),
      sc1: usd('0.015'),
    },
    storageClassTypes: { gp3: 'gp3', gp2: 'gp2' },
    // The EBS CSI driver provisions gp3 when a class names no type.
    defaultVolumeType: 'gp3',
    // The in-tree service controller creates a Classic Load Balancer: $0.025 per hour.
    loadBalancerHour: usd('0.025'),
  },
];
