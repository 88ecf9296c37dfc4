/** Tenant plans and their quotas. */
export interface Plan {
  name: string;
  maxClusters: number;
  maxNodes: number;
  maxTimeScale: number;
  maxObjectsPerCluster: number;
  /**
   * Pods one cluster may store, whoever creates them (clients or controllers): a Deployment asking
   * for a billion replicas stops here with FailedCreate, as on a quota. Nodes bound pods further
   * (status.allocatable.pods, e.g. 110): pods beyond the nodes' room stay Pending.
   */
  maxPodsPerCluster: number;
}

export const plans: Record<string, Plan> = {
  free: { name: 'free', maxClusters: 2, maxNodes: 6, maxTimeScale: 60, maxObjectsPerCluster: 5_000, maxPodsPerCluster: 2_000 },
  standard: { name: 'standard', maxClusters: 20, maxNodes: 200, maxTimeScale: 3600, maxObjectsPerCluster: 100_000, maxPodsPerCluster: 10_000 },
  enterprise: { name: 'enterprise', maxClusters: 200, maxNodes: 5_000, maxTimeScale: 3600, maxObjectsPerCluster: 1_000_000, maxPodsPerCluster: 150_000 },
};

export const DEFAULT_PLAN = 'standard';

export function planOf(name: string): Plan {
  return plans[name] ?? plans[DEFAULT_PLAN];
}
