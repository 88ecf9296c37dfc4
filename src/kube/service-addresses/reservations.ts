import type { KubeObject } from '../types.ts';
import { IP_ADDRESS_RESOURCE, NODE_PORT_RESOURCE } from '../cluster-network.ts';

/**
 * Reservation objects make a service address unique inside a cluster: the store refuses a second
 * object with the same name, so two services created at once cannot both take 10.96.0.12 or
 * node port 30080. ClusterIPs use Kubernetes' own IPAddress kind (networking.k8s.io/v1, GA in
 * 1.33); node ports have no Kubernetes kind, so they use a private one.
 */
export interface ServiceRef {
  namespace: string;
  name: string;
}

export function ipAddressObject(ip: string, parent: ServiceRef): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IPAddress',
    metadata: {
      name: ip,
      labels: { 'ipaddress.kubernetes.io/ip-family': 'IPv4', 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' },
    },
    spec: { parentRef: { group: '', resource: 'services', namespace: parent.namespace, name: parent.name } },
  };
}

export function nodePortObject(port: number, parent: ServiceRef): KubeObject {
  return {
    apiVersion: 'kates.dev/v1',
    kind: 'ServiceNodePort',
    metadata: { name: String(port) },
    spec: { parentRef: { group: '', resource: 'services', namespace: parent.namespace, name: parent.name } },
  };
}

export function parentOf(reservation: KubeObject): ServiceRef {
  const ref = reservation.spec?.parentRef ?? {};
  return { namespace: ref.namespace ?? '', name: ref.name ?? '' };
}

export function sameService(a: ServiceRef, b: ServiceRef): boolean {
  return a.namespace === b.namespace && a.name === b.name;
}

/** The addresses a service holds according to its spec (what its reservations must cover). */
export function heldAddresses(service: KubeObject): { ips: string[]; ports: number[] } {
  const spec = service.spec ?? {};
  const ips = new Set<string>();
  if (spec.type !== 'ExternalName') {
    for (const ip of [spec.clusterIP, ...(spec.clusterIPs ?? [])]) if (ip && ip !== 'None') ips.add(ip);
  }
  const ports = new Set<number>();
  for (const p of spec.ports ?? []) if (typeof p.nodePort === 'number' && p.nodePort > 0) ports.add(p.nodePort);
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort > 0) ports.add(spec.healthCheckNodePort);
  return { ips: [...ips], ports: [...ports] };
}

export const reservationResources = [IP_ADDRESS_RESOURCE, NODE_PORT_RESOURCE] as const;
