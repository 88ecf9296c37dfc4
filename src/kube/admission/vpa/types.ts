import type { KubeObject } from '../../types.ts';

/** A VerticalPodAutoscaler condition (a custom resource: no upstream core type). */
export interface VpaCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/**
 * The VerticalPodAutoscaler (autoscaling.k8s.io/v1) fields kates reads and writes. It is a custom
 * resource of the autoscaler project, so `kubernetes-models` has no interface for it.
 */
type ResourceList = Record<string, string | number>;

export interface VpaContainerPolicy {
  containerName?: string;
  mode?: 'Auto' | 'Off' | (string & {});
  minAllowed?: ResourceList;
  maxAllowed?: ResourceList;
  controlledResources?: string[];
  controlledValues?: string;
}

export interface VpaContainerRecommendation {
  containerName: string;
  target: Record<string, string>;
  lowerBound?: Record<string, string>;
  upperBound?: Record<string, string>;
  uncappedTarget?: Record<string, string>;
}

export interface VpaSpec {
  targetRef?: { apiVersion?: string; kind?: string; name?: string };
  updatePolicy?: { updateMode?: string; minReplicas?: number };
  resourcePolicy?: { containerPolicies?: VpaContainerPolicy[] };
}

export interface VpaStatus {
  recommendation?: { containerRecommendations?: VpaContainerRecommendation[] };
  conditions?: VpaCondition[];
}

export type VerticalPodAutoscaler = KubeObject<VpaSpec, VpaStatus>;
