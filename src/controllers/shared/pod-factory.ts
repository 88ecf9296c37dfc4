/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../../kube/types.ts';
import { newControllerRef } from './owners.ts';
import { applyPodSpecDefaults } from './pod-spec-defaults.ts';

export interface PodFromTemplateOptions {
  name: string;
  namespace: string;
  /** The generateName the name was derived from, kept on the pod as the API server does. */
  generateName?: string;
  owner: KubeObject;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  /** Resolved from priorityClassName, as the Priority admission plugin would. */
  priority?: number;
}

/** DefaultTolerationSeconds admission: every pod tolerates a not-ready or unreachable node for 300 s. */
const DEFAULT_NOEXECUTE_TOLERATIONS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/**
 * A Pod as a controller creates it from a template (controller.GetPodFromTemplate), plus what the
 * API server's defaulting and admission would add, since controllers write to the store directly.
 */
export function podFromTemplate(template: any, opts: PodFromTemplateOptions): KubeObject {
  const tmeta = template?.metadata ?? {};
  const spec = applyPodSpecDefaults(structuredClone(template?.spec ?? {}));
  addDefaultTolerations(spec);
  if (opts.priority !== undefined) spec.priority = opts.priority;
  else spec.priority ??= 0;
  const labels = { ...(tmeta.labels ?? {}), ...(opts.labels ?? {}) };
  const annotations = { ...(tmeta.annotations ?? {}), ...(opts.annotations ?? {}) };
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: opts.name,
      namespace: opts.namespace,
      labels,
      ownerReferences: [newControllerRef(opts.owner)],
    },
    spec,
    status: { phase: 'Pending', qosClass: qosClass(spec) },
  };
  if (opts.generateName) pod.metadata.generateName = opts.generateName;
  if (Object.keys(annotations).length) pod.metadata.annotations = annotations;
  if (opts.finalizers?.length) pod.metadata.finalizers = [...opts.finalizers];
  return pod;
}

function addDefaultTolerations(spec: any): void {
  const tolerations: any[] = spec.tolerations ?? [];
  for (const key of DEFAULT_NOEXECUTE_TOLERATIONS) {
    const covered = tolerations.some(
      (t) => (t.operator === 'Exists' && !t.key) || (t.key === key && (!t.effect || t.effect === 'NoExecute')),
    );
    if (!covered) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  spec.tolerations = tolerations;
}

/** Pod QoS class (pkg/apis/core/v1/helper/qos): Guaranteed, Burstable or BestEffort. */
export function qosClass(spec: any): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers: any[] = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      const request = req[r] ?? lim[r];
      if (lim[r] === undefined || String(request) !== String(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
