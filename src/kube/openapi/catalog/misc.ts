import type { Catalog } from './types.ts';
import { typeMeta } from './pod.ts';

export const miscTypes: Catalog = {
  HorizontalPodAutoscaler: {
    pkg: 'io.k8s.api.autoscaling.v2',
    description: 'Scales a workload between bounds to keep metrics near their targets.',
    fields: { ...typeMeta, spec: ['HorizontalPodAutoscalerSpec', 'Target, bounds, metrics and behaviour.'], status: ['object', 'Current and desired replicas, metrics and conditions.'] },
  },
  HorizontalPodAutoscalerSpec: {
    pkg: 'io.k8s.api.autoscaling.v2',
    description: 'What to scale and how.',
    required: ['scaleTargetRef', 'maxReplicas'],
    fields: {
      behavior: ['object', 'Scale-up and scale-down policies and stabilization windows.'],
      maxReplicas: ['integer', 'Upper bound of replicas.'],
      metrics: ['[]object', 'Metrics and targets; the largest proposal wins. 80% CPU by default.'],
      minReplicas: ['integer', 'Lower bound of replicas. Defaults to 1.'],
      scaleTargetRef: ['CrossVersionObjectReference', 'The workload to scale (through its scale subresource).'],
    },
  },
  CrossVersionObjectReference: {
    pkg: 'io.k8s.api.autoscaling.v2',
    description: 'Identifies the scaled resource.',
    required: ['kind', 'name'],
    fields: { apiVersion: ['string', 'API version of the referent.'], kind: ['string', 'Kind of the referent.'], name: ['string', 'Name of the referent.'] },
  },
  VerticalPodAutoscaler: {
    pkg: 'io.k8s.autoscaler.vertical-pod-autoscaler.pkg.apis.autoscaling.k8s.io.v1',
    description: 'Recommends (and may apply) container requests from observed usage.',
    fields: { ...typeMeta, spec: ['VerticalPodAutoscalerSpec', 'Target and update policy.'], status: ['object', 'Recommendations and conditions.'] },
  },
  VerticalPodAutoscalerSpec: {
    pkg: 'io.k8s.autoscaler.vertical-pod-autoscaler.pkg.apis.autoscaling.k8s.io.v1',
    description: 'What to size and whether to apply the recommendations.',
    required: ['targetRef'],
    open: true,
    fields: {
      targetRef: ['CrossVersionObjectReference', 'The workload whose pods are sized.'],
      updatePolicy: ['PodUpdatePolicy', 'Whether and how recommendations are applied.'],
      resourcePolicy: ['object', 'Per-container bounds and controlled resources.'],
    },
  },
  PodUpdatePolicy: {
    pkg: 'io.k8s.autoscaler.vertical-pod-autoscaler.pkg.apis.autoscaling.k8s.io.v1',
    description: 'How recommendations reach the pods.',
    fields: { updateMode: ['string', 'Off, Initial, Recreate or Auto (default).'], minReplicas: ['integer', 'Live replicas needed before the updater evicts a pod.'] },
  },
  PodDisruptionBudget: {
    pkg: 'io.k8s.api.policy.v1',
    description: 'Limits how many pods of a set voluntary disruptions (evictions) may take down at once.',
    fields: { ...typeMeta, spec: ['PodDisruptionBudgetSpec', 'The budget.'], status: ['object', 'Healthy counts and allowed disruptions.'] },
  },
  PodDisruptionBudgetSpec: {
    pkg: 'io.k8s.api.policy.v1',
    description: 'The budget: one of minAvailable and maxUnavailable.',
    fields: {
      maxUnavailable: ['IntOrString', 'Pods that may be unavailable after an eviction (number or percent).'],
      minAvailable: ['IntOrString', 'Pods that must stay available after an eviction (number or percent).'],
      selector: ['LabelSelector', 'The pods the budget covers.'],
      unhealthyPodEvictionPolicy: ['string', 'IfHealthyBudget (default) or AlwaysAllow for pods that are not ready.'],
    },
  },
  StorageClass: {
    pkg: 'io.k8s.api.storage.v1',
    description: 'A class of storage that claims can ask for and that provisions volumes dynamically.',
    required: ['provisioner'],
    fields: {
      ...typeMeta,
      allowVolumeExpansion: ['boolean', 'Whether claims of this class may grow.'],
      allowedTopologies: ['[]object', 'Where volumes may be provisioned.'],
      mountOptions: ['[]string', 'Mount options of provisioned volumes.'],
      parameters: ['map[string]string', 'Parameters for the provisioner.'],
      provisioner: ['string', 'The volume plugin that provisions volumes.'],
      reclaimPolicy: ['string', 'Delete (default) or Retain for provisioned volumes.'],
      volumeBindingMode: ['string', 'Immediate (default) or WaitForFirstConsumer.'],
    },
  },
};
