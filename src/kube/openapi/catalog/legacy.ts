import type { Catalog } from './types.ts';
import { typeMeta } from './pod.ts';

const core = 'io.k8s.api.core.v1';

/** The older core kinds (ReplicationController, PodTemplate) over the pod template's types. */
export const legacyTypes: Catalog = {
  ReplicationController: {
    pkg: core,
    description: 'Keeps a number of identical pods running (the predecessor of ReplicaSet).',
    fields: { ...typeMeta, spec: ['ReplicationControllerSpec', 'The desired state.'], status: ['object', 'The observed state.'] },
  },
  ReplicationControllerSpec: {
    pkg: core,
    description: 'The desired state of a ReplicationController.',
    fields: {
      minReadySeconds: ['integer', 'Seconds a new pod must be ready to count as available.'],
      replicas: ['integer', 'Number of desired pods. Defaults to 1.'],
      selector: ['map[string]string', 'Label keys and values pods must match; defaults to the template labels.'],
      template: ['PodTemplateSpec', 'The pods to create.'],
    },
  },
  PodTemplate: {
    pkg: core,
    description: 'A stored template of pods, for tools that create pods from it.',
    fields: { ...typeMeta, template: ['PodTemplateSpec', 'The pods this template describes.'] },
  },
};
