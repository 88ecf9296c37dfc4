/** The three managed-Kubernetes billing models kates reproduces. */
export type Provider = 'eks' | 'gke' | 'aks';

export const PROVIDERS: readonly Provider[] = ['eks', 'gke', 'aks'];

/** Integer micro-USD (1e-6 USD). All money amounts in billing are this, never floats. */
export type MicroUsd = number;

/** One machine shape a node pool may use, with its on-demand list price per region. */
/** Machine family, used to map a node to the same kind of machine at another provider. */
export type InstanceFamily = 'general' | 'burstable' | 'compute' | 'memory';

export interface InstanceType {
  name: string;
  family: InstanceFamily;
  vcpu: number;
  memoryGiB: number;
  /** Most pods the kubelet admits on this node (status.capacity.pods). */
  maxPods: number;
  /** Linux on-demand price per instance-hour, by region. A region missing here does not offer the type. */
  hourlyMicroUsd: Record<string, MicroUsd>;
  /** Processor maker: a same-shape comparison stays on the same kind of CPU (an Arm node needs Arm images). */
  cpu?: 'intel' | 'amd' | 'arm';
  /** Regions priced at another region's list price (no captured price of their own): region → that region. */
  priceRegions?: Record<string, string>;
  /** Where each captured price comes from and when it was recorded, by region. */
  priceSources?: Record<string, { source: string; date: string }>;
}

export interface ProviderCatalog {
  provider: Provider;
  /** Region → its zones (the values of topology.kubernetes.io/zone). */
  regions: Record<string, string[]>;
  tiers: string[];
  defaultTier: string;
  instanceTypes: InstanceType[];
  /** Region → a coarse geography (us, eu, ap…), to compare with the nearest region of another provider. */
  geography?: Record<string, string>;
}
