import { formatQuantity } from '../../../lib/quantity.ts';
import type { VerticalPodAutoscaler, VpaContainerPolicy } from './types.ts';

/** The containerPolicy that applies to a container: its own, else the `*` one. */
export function containerPolicy(vpa: Pick<VerticalPodAutoscaler, 'spec'>, container: string): VpaContainerPolicy {
  const list = vpa.spec?.resourcePolicy?.containerPolicies ?? [];
  return list.find((p) => p.containerName === container) ?? list.find((p) => p.containerName === '*') ?? {};
}

export function controlledResources(policy: VpaContainerPolicy): ('cpu' | 'memory')[] {
  const r = policy.controlledResources;
  return Array.isArray(r) && r.length ? r.filter((x): x is 'cpu' | 'memory' => x === 'cpu' || x === 'memory') : ['cpu', 'memory'];
}

/** cpu in millicores rounded up ("587m"); memory in bytes rounded up, printed the way Kubernetes does ("262144k"). */
export function quantityOf(resource: 'cpu' | 'memory', value: number): string {
  return resource === 'cpu' ? `${Math.ceil(value)}m` : formatQuantity(Math.ceil(value));
}
