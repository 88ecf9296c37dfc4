import type { KubeObject } from '../../kube/types.ts';
import type { Pod, PodSpec, PodTemplate } from '../../kube/objects.ts';
import { newControllerRef } from './owners.ts';

export interface PodFromTemplateOptions {
  name: string;
  namespace: string;
  /** The generateName the name was derived from, kept on the pod as the API server does. */
  generateName?: string;
  owner: KubeObject;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

/**
 * A Pod as a controller builds it from a template (controller.GetPodFromTemplate): the template's
 * labels, annotations and spec, and a controller reference to the owner. Defaults and admission
 * come after (CreateAdmission.admitPod), as they would in the API server.
 */
export function podFromTemplate(template: PodTemplate | undefined, opts: PodFromTemplateOptions): Pod & { spec: PodSpec } {
  const tmeta = template?.metadata ?? {};
  const labels = { ...(tmeta.labels ?? {}), ...(opts.labels ?? {}) };
  const annotations = { ...(tmeta.annotations ?? {}), ...(opts.annotations ?? {}) };
  const pod: Pod & { spec: PodSpec } = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: opts.name,
      namespace: opts.namespace,
      labels,
      ownerReferences: [newControllerRef(opts.owner)],
    },
    // A stored template is complete; defaults and admission fill what an empty one lacks.
    spec: structuredClone(template?.spec ?? ({} as PodSpec)),
    status: { phase: 'Pending' },
  };
  if (opts.generateName) pod.metadata.generateName = opts.generateName;
  if (Object.keys(annotations).length) pod.metadata.annotations = annotations;
  if (opts.finalizers?.length) pod.metadata.finalizers = [...opts.finalizers];
  return pod;
}
