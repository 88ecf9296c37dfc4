/* eslint-disable @typescript-eslint/no-explicit-any */
import { formatQuantity } from '../../../lib/quantity.ts';

/** The containerPolicy that applies to a container: its own, else the `*` one. */
export function containerPolicy(vpa: any, container: string): any {
  const list: any[] = vpa.spec?.resourcePolicy?.containerPolicies ?? [];
  return list.find((p) => p.containerName === container) ?? list.find((p) => p.containerName === '*') ?? {};
}

export function controlledResources(policy: any): ('cpu' | 'memory')[] {
  const r = policy.controlledResources;
  return Array.isArray(r) && r.length ? r.filter((x: string) => x === 'cpu' || x === 'memory') : ['cpu', 'memory'];
}

/** cpu in millicores rounded up ("587m"); memory in bytes rounded up, printed the way Kubernetes does ("262144k"). */
export function quantityOf(resource: 'cpu' | 'memory', value: number): string {
  return resource === 'cpu' ? `${Math.ceil(value)}m` : formatQuantity(Math.ceil(value));
}
