import { closeInterval, openInterval } from '../billing/intervals.ts';
import type { KubeObject } from '../kube/types.ts';
import type { WriteStatement } from '../store/db.ts';
import type { ObjectStore } from '../store/objects.ts';
import { clusterFacts } from './cluster-facts.ts';

/** Billing subject of a Service's load balancer. */
export function loadBalancerSubject(service: KubeObject): string {
  return `${service.metadata.namespace ?? 'default'}/${service.metadata.name}`;
}

/**
 * The statement that starts billing a Service's load balancer, for the `extra` of the commit that
 * gives it its ingress: `store.commit(ops, { extra: await loadBalancerOpened(store, id, svc) })`.
 */
export async function loadBalancerOpened(store: ObjectStore, clusterId: string, service: KubeObject): Promise<(now: number) => WriteStatement[]> {
  const { tenantId } = await clusterFacts(store, clusterId);
  const subject = loadBalancerSubject(service);
  return (now) => [
    closeInterval(store.database.db, { clusterId, kind: 'loadbalancer', subject }, now), // never two open for one subject
    openInterval(store.database.db, {
      tenantId,
      clusterId,
      kind: 'loadbalancer',
      subject,
      attributes: { namespace: service.metadata.namespace ?? 'default', name: service.metadata.name! },
      startedAt: now,
    }),
  ];
}

/** The statement that stops billing it, for the commit that removes the load balancer or the Service. */
export function loadBalancerClosed(store: ObjectStore, clusterId: string, service: KubeObject): (now: number) => WriteStatement[] {
  return (now) => [closeInterval(store.database.db, { clusterId, kind: 'loadbalancer', subject: loadBalancerSubject(service) }, now)];
}
