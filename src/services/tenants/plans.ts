/** Tenant plans and their quotas. */
export interface Plan {
  name: string;
  maxClusters: number;
  maxNodes: number;
  maxTimeScale: number;
  maxObjectsPerCluster: number;
}

export const plans: Record<string, Plan> = {
  free: { name: 'free', maxClusters: 2, maxNodes: 6, maxTimeScale: 60, maxObjectsPerCluster: 5_000 },
  standard: { name: 'standard', maxClusters: 20, maxNodes: 200, maxTimeScale: 3600, maxObjectsPerCluster: 100_000 },
  enterprise: { name: 'enterprise', maxClusters: 200, maxNodes: 5_000, maxTimeScale: 3600, maxObjectsPerCluster: 1_000_000 },
};

export const DEFAULT_PLAN = 'standard';

export function planOf(name: string): Plan {
  return plans[name] ?? plans[DEFAULT_PLAN];
}
