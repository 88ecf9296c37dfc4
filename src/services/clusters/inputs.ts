/**
 * What the cluster services accept, as plain types: the /v1 route schemas
 * (`api/routes/clusters/schemas.ts`) validate a request into these shapes.
 */
export interface TaintInput {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Surge settings of a pool's upgrades and replacements: a count ("1") or a percentage ("10%"). */
export interface UpgradeSettingsSpec {
  maxSurge?: string;
  maxUnavailable?: string;
}

export interface NodePoolSpec {
  name: string;
  instanceType: string;
  count: number;
  minCount?: number;
  maxCount?: number;
  autoscaling: boolean;
  labels: Record<string, string>;
  taints: TaintInput[];
  zones?: string[];
  capacityType: 'ON_DEMAND' | 'SPOT';
  upgradeSettings?: UpgradeSettingsSpec;
}

export type CreateNodePoolInput = NodePoolSpec;

export interface UpdateNodePoolInput {
  instanceType?: string;
  count?: number;
  minCount?: number;
  maxCount?: number;
  autoscaling?: boolean;
  labels?: Record<string, string>;
  taints?: TaintInput[];
  zones?: string[];
  capacityType?: 'ON_DEMAND' | 'SPOT';
  upgradeSettings?: UpgradeSettingsSpec;
}

export interface CreateClusterInput {
  name: string;
  provider: 'eks' | 'gke' | 'aks';
  tier?: string;
  region: string;
  kubernetesVersion: string;
  nodePools: NodePoolSpec[];
  timeScale: number;
  labels: Record<string, string>;
  versionSupport?: 'standard' | 'extended';
}

export interface NodePoolChange {
  name: string;
  count?: number;
  minCount?: number;
  maxCount?: number;
  autoscaling?: boolean;
}

export interface UpdateClusterInput {
  nodePools?: NodePoolChange[];
  labels?: Record<string, string>;
}
