import type { KubeObject } from '../kube/types.ts';
import { hexDigest } from '../lib/digest.ts';

export const LB_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';
export const LB_PROVISION_ANNOTATION = 'kates.dev/lb-provision-seconds';
/** How long the simulated cloud takes to hand out a new load balancer's address. */
export const DEFAULT_LB_PROVISION_SECONDS = 5;

/** A Service the default (cloud) load-balancer implementation owns. */
export function wantsLoadBalancer(service: KubeObject): boolean {
  return service.spec?.type === 'LoadBalancer' && !service.spec?.loadBalancerClass && !service.metadata.deletionTimestamp;
}

export function hasIngress(service: KubeObject): boolean {
  return (service.status?.loadBalancer?.ingress ?? []).length > 0;
}

/**
 * When the address appears: a few seconds after a LoadBalancer Service is created; at once for a
 * Service that changed to LoadBalancer later (its creation is long past).
 */
export function ingressReadyAt(service: KubeObject): number {
  const created = Date.parse(service.metadata.creationTimestamp ?? '') || 0;
  const raw = Number(service.metadata.annotations?.[LB_PROVISION_ANNOTATION]);
  const seconds = Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_LB_PROVISION_SECONDS;
  return created + seconds * 1000;
}

/**
 * The address the simulated cloud gives, stable per Service: an ELB hostname on EKS (the in-tree
 * provider's `a<uid>-<n>.<region>.elb.amazonaws.com`), a public VIP on GKE (34.x) and AKS (20.x).
 */
export function ingressFor(service: KubeObject, provider: string, region: string): Array<Record<string, string>> {
  const requested = service.spec?.loadBalancerIP;
  const id = hexDigest(`lb:${service.metadata.uid}`, 32);
  if (provider === 'eks' && !requested) {
    const n = (parseInt(id.slice(0, 8), 16) % 9_000_000_000) + 1_000_000_000;
    return [{ hostname: `a${(service.metadata.uid ?? id).replace(/-/g, '').slice(0, 32)}-${n}.${region}.elb.amazonaws.com` }];
  }
  const firstOctet = provider === 'gke' ? 34 : 20;
  const ip =
    requested || [firstOctet, 1 + (parseInt(id.slice(0, 2), 16) % 254), parseInt(id.slice(2, 4), 16), 1 + (parseInt(id.slice(4, 6), 16) % 254)].join('.');
  return [{ ip, ipMode: 'VIP' }];
}
