import type { Catalog } from './types.ts';

const pkg = 'io.k8s.autoscaler.vertical-pod-autoscaler.pkg.apis.autoscaling.k8s.io.v1';

/**
 * Kinds kates serves that upstream's API does not define (their OpenAPI schemas and strict field
 * validation come from here); every upstream kind is described by upstream-definitions.json.
 * Types not listed here (ObjectMeta, CrossVersionObjectReference) are upstream's.
 */
export const CATALOG: Catalog = {
  VerticalPodAutoscaler: {
    pkg,
    description: 'Recommends (and may apply) container requests from observed usage.',
    fields: {
      apiVersion: ['string', 'The versioned schema of this representation of the object.'],
      kind: ['string', 'The REST resource this object represents, in CamelCase.'],
      metadata: ['ObjectMeta', "Standard object's metadata."],
      spec: ['VerticalPodAutoscalerSpec', 'Target and update policy.'],
      status: ['object', 'Recommendations and conditions.'],
    },
  },
  VerticalPodAutoscalerSpec: {
    pkg,
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
    pkg,
    description: 'How recommendations reach the pods.',
    fields: {
      updateMode: ['string', 'Off, Initial, Recreate or Auto (default).'],
      minReplicas: ['integer', 'Live replicas needed before the updater evicts a pod.'],
    },
  },
};
