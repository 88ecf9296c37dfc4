import type { IIngressBackend } from 'kubernetes-models/networking.k8s.io/v1';
import type { KubeObject } from '../kube/types.ts';
import { hexDigest } from '../lib/digest.ts';
import { DEFAULT_INGRESS_CLASS_ANNOTATION, LEGACY_INGRESS_CLASS_ANNOTATION } from '../kube/admission/ingress-class.ts';

export const INGRESS_RESOURCE = 'ingresses.networking.k8s.io';
export const INGRESS_CLASS_RESOURCE = 'ingressclasses.networking.k8s.io';

/**
 * The managed ingress each provider offers, as kates simulates it: the AWS Load Balancer Controller
 * (one ALB per Ingress, a DNS name), GKE's ingress-gce (one HTTP(S) load balancer per Ingress, a
 * global IP) and AKS application routing (a shared NGINX behind one public IP). Where each Ingress
 * gets a load balancer of its own, the provider bills it like a LoadBalancer Service.
 */
export interface ProviderIngress {
  className: string;
  controller: string;
  /** Who signs the controller's Events. */
  component: string;
  /** One cloud load balancer per Ingress (billed per hour), or one shared address. */
  perIngress: boolean;
  /** The Event when a backend Service is missing, worded as the provider's controller words it. */
  missingBackend(ing: KubeObject, service: string): { reason: string; message: string };
  /** A missing backend stops the load balancer from being built (ALB, GCE); NGINX serves the rest. */
  blocksOnMissingBackend: boolean;
  /** The Normal Event when the Ingress gets its address. */
  reconciled(address: string): { reason: string; message: string };
}

const PROVIDERS: Record<string, ProviderIngress> = {
  eks: {
    className: 'alb',
    controller: 'ingress.k8s.aws/alb',
    component: 'ingress',
    perIngress: true,
    blocksOnMissingBackend: true,
    missingBackend: (ing, svc) => ({
      reason: 'FailedBuildModel',
      message: `Failed build model due to ingress: ${ing.metadata.namespace}/${ing.metadata.name}: Service "${svc}" not found`,
    }),
    reconciled: () => ({ reason: 'SuccessfullyReconciled', message: 'Successfully reconciled' }),
  },
  gke: {
    className: 'gce',
    controller: 'k8s.io/ingress-gce',
    component: 'loadbalancer-controller',
    perIngress: true,
    blocksOnMissingBackend: true,
    missingBackend: (ing, svc) => ({
      reason: 'Translate',
      message: `Translation failed: invalid ingress spec: could not find service "${ing.metadata.namespace}/${svc}"`,
    }),
    reconciled: (address) => ({ reason: 'IPChanged', message: `IP is now ${address}` }),
  },
  aks: {
    className: 'webapprouting.kubernetes.azure.com',
    controller: 'webapprouting.kubernetes.azure.com/nginx',
    component: 'nginx-ingress-controller',
    perIngress: false,
    blocksOnMissingBackend: false,
    missingBackend: (ing, svc) => ({
      reason: 'Sync',
      message: `Error obtaining Endpoints for Service "${ing.metadata.namespace}/${svc}": no object matching key "${ing.metadata.namespace}/${svc}" in local store`,
    }),
    reconciled: () => ({ reason: 'Sync', message: 'Scheduled for sync' }),
  },
};

export function providerIngress(provider: string): ProviderIngress {
  return PROVIDERS[provider] ?? PROVIDERS.eks;
}

/** The IngressClass a new cluster comes with: the provider's managed ingress, marked default. */
export function providerIngressClass(provider: string): KubeObject {
  const p = providerIngress(provider);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: p.className, annotations: { [DEFAULT_INGRESS_CLASS_ANNOTATION]: 'true' } },
    spec: { controller: p.controller },
  };
}

/** The class an Ingress names: `spec.ingressClassName`, else the legacy annotation. */
export function ingressClassName(ing: KubeObject): string | undefined {
  return ing.spec?.ingressClassName || ing.metadata.annotations?.[LEGACY_INGRESS_CLASS_ANNOTATION] || undefined;
}

/** The Services an Ingress sends traffic to (default backend and every path), once each. */
export function backendServices(ing: KubeObject): string[] {
  const names = new Set<string>();
  const add = (b: IIngressBackend | undefined) => {
    if (typeof b?.service?.name === 'string') names.add(b.service.name);
  };
  add(ing.spec?.defaultBackend);
  for (const rule of ing.spec?.rules ?? []) for (const p of rule?.http?.paths ?? []) add(p?.backend);
  return [...names];
}

/**
 * The address the simulated cloud gives, stable per Ingress: an ALB DNS name on EKS
 * (`k8s-<ns>-<name>-<hash>-<n>.<region>.elb.amazonaws.com`), a global IP on GKE (34.x), the shared
 * application-routing IP of the cluster on AKS (20.x).
 */
export function ingressAddress(ing: KubeObject, provider: string, region: string, clusterId: string): Array<Record<string, string>> {
  if (provider === 'aks') return [{ ip: ipFrom(20, hexDigest(`approuting:${clusterId}`, 32)) }];
  const id = hexDigest(`ingress:${ing.metadata.uid}`, 32);
  if (provider === 'gke') return [{ ip: ipFrom(34, id) }];
  const short = (s: string | undefined) => (s ?? '').slice(0, 8).replace(/-+$/, '');
  const n = (parseInt(id.slice(10, 18), 16) % 9_000_000_000) + 1_000_000_000;
  return [{ hostname: `k8s-${short(ing.metadata.namespace)}-${short(ing.metadata.name)}-${id.slice(0, 10)}-${n}.${region}.elb.amazonaws.com` }];
}

function ipFrom(firstOctet: number, hex: string): string {
  return [firstOctet, 1 + (parseInt(hex.slice(0, 2), 16) % 254), parseInt(hex.slice(2, 4), 16), 1 + (parseInt(hex.slice(4, 6), 16) % 254)].join('.');
}
