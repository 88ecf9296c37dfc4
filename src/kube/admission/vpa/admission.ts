import type { Pod } from '../../objects.ts';
import type { VerticalPodAutoscaler } from './types.ts';
import type { KubeObject } from '../../types.ts';
import type { ObjectStore } from '../../../store/objects.ts';
import { parseCpuMillis, parseQuantityInt } from '../../../lib/quantity.ts';
import { containerPolicy, controlledResources, quantityOf } from './policy.ts';
import { updateModeOf, vpaSelectsPod, VPA_RESOURCE } from './target.ts';

const parse = (resource: string, q: unknown): number | undefined => {
  if (q === undefined || q === null) return undefined;
  try {
    return resource === 'cpu' ? parseCpuMillis(String(q)) : parseQuantityInt(String(q));
  } catch {
    return undefined;
  }
};

export interface VpaAdmissionResult {
  pod: KubeObject;
  /** The VPA that applied, if any. */
  vpa?: string;
  /** "container 0: cpu request, memory request" parts, empty when nothing changed. */
  updates: string[];
}

/**
 * The VPA admission controller for a pod being created: the first VPA (by name) of its namespace
 * that targets the pod's controller, in any mode but Off, with a recommendation, sets each
 * controlled container's requests to the target and scales its limits in proportion (unless
 * controlledValues is RequestsOnly). Annotates the pod like upstream. Pure: returns a new pod.
 */
export function applyVpaToPod(pod: Pod, vpas: VerticalPodAutoscaler[]): VpaAdmissionResult {
  const vpa = [...vpas]
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
    .find((v) => updateModeOf(v) !== 'Off' && vpaSelectsPod(v, pod));
  if (!vpa) return { pod, updates: [] };
  const recs = vpa.status?.recommendation?.containerRecommendations ?? [];
  const next = structuredClone(pod);
  const updates: string[] = [];
  const observed: string[] = [];
  (next.spec?.containers ?? []).forEach((c, i) => {
    observed.push(c.name);
    const rec = recs.find((r) => r.containerName === c.name);
    const policy = containerPolicy(vpa, c.name);
    if (!rec || policy.mode === 'Off') return;
    const changed: string[] = [];
    for (const resource of controlledResources(policy)) {
      const target = parse(resource, rec.target?.[resource]);
      if (target === undefined) continue;
      c.resources ??= {};
      const oldRequest = parse(resource, c.resources.requests?.[resource]);
      const oldLimit = parse(resource, c.resources.limits?.[resource]);
      c.resources.requests = { ...(c.resources.requests ?? {}), [resource]: quantityOf(resource, target) };
      changed.push(`${resource} request`);
      if (policy.controlledValues !== 'RequestsOnly' && oldLimit !== undefined && oldRequest) {
        c.resources.limits = { ...c.resources.limits, [resource]: quantityOf(resource, (oldLimit * target) / oldRequest) };
        changed.push(`${resource} limit`);
      }
    }
    if (changed.length) updates.push(`container ${i}: ${changed.join(', ')}`);
  });
  next.metadata.annotations = { ...(next.metadata.annotations ?? {}), vpaObservedContainers: observed.join(', ') };
  if (updates.length) next.metadata.annotations.vpaUpdates = `Pod resources updated by ${vpa.metadata.name}: ${updates.join('; ')}`;
  return { pod: next, vpa: vpa.metadata.name, updates };
}

/**
 * The admission hook: reads the namespace's VPAs and applies `applyVpaToPod` to a pod being created,
 * in place. Cheap when the namespace has no VPA (one indexed read).
 */
export async function admitPodWithVpa(store: ObjectStore, clusterId: string, pod: KubeObject): Promise<void> {
  const vpas = (await store.list(clusterId, VPA_RESOURCE, { namespace: pod.metadata.namespace ?? 'default' })).items;
  if (vpas.length === 0) return;
  const { pod: next } = applyVpaToPod(pod, vpas);
  pod.metadata = next.metadata;
  pod.spec = next.spec;
}
