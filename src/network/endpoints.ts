import type { IEndpointAddress, IEndpointSubset } from 'kubernetes-models/v1';
import type { KubeObject } from '../kube/types.ts';
import { API_SERVER_ENDPOINT } from '../kube/cluster-network.ts';
import { endpointHostname, podPorts, podReady, servicePods, serviceSelector, type ResolvedPort } from './service-pods.ts';

/** Endpoints capacity (k8s-behavior §10): beyond it the object is truncated and annotated. */
export const MAX_ENDPOINTS_ADDRESSES = 1000;
export const ENDPOINTS_MANAGED_BY = 'endpoints.kubernetes.io/managed-by';

/**
 * The legacy v1 Endpoints of a Service: ready pods in `addresses`, the others in
 * `notReadyAddresses`, terminating pods left out (all in `addresses` with
 * publishNotReadyAddresses), grouped into subsets by identical port sets. Undefined for Services
 * whose endpoints are not controller-managed.
 */
export function desiredEndpoints(service: KubeObject, podsOfNamespace: KubeObject[]): KubeObject | undefined {
  const ns = service.metadata.namespace ?? 'default';
  const name = service.metadata.name!;
  if (ns === 'default' && name === 'kubernetes' && !serviceSelector(service)) return apiServerEndpoints(service);
  if (!serviceSelector(service)) return undefined;
  const publishAll = service.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: ResolvedPort[]; addresses: IEndpointAddress[]; notReadyAddresses: IEndpointAddress[] }>();
  let total = 0;
  let truncated = false;
  const pods = servicePods(service, podsOfNamespace).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp && !publishAll) continue;
    const ports = podPorts(service, pod);
    if ((service.spec?.ports ?? []).length > 0 && ports.length === 0) continue;
    if (total >= MAX_ENDPOINTS_ADDRESSES) {
      truncated = true;
      break;
    }
    total++;
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, addresses: [], notReadyAddresses: [] };
    groups.set(key, group);
    const address: IEndpointAddress = { ip: pod.status.podIP };
    const hostname = endpointHostname(service, pod);
    if (hostname) address.hostname = hostname;
    if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
    address.targetRef = { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid };
    (publishAll || podReady(pod) ? group.addresses : group.notReadyAddresses).push(address);
  }
  const subsets = [...groups.values()].map((g) => {
    const subset: IEndpointSubset = {};
    if (g.addresses.length) subset.addresses = g.addresses.sort(byIp);
    if (g.notReadyAddresses.length) subset.notReadyAddresses = g.notReadyAddresses.sort(byIp);
    if (g.ports.length) subset.ports = g.ports as IEndpointSubset['ports'];
    return subset;
  });
  const labels: Record<string, string> = { ...(service.metadata.labels ?? {}), [ENDPOINTS_MANAGED_BY]: 'endpoint-controller' };
  if (service.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns, labels } };
  if (truncated) obj.metadata.annotations = { 'endpoints.kubernetes.io/over-capacity': 'truncated' };
  if (subsets.length) obj.subsets = subsets;
  return obj;
}

function byIp(a: { ip: string }, b: { ip: string }): number {
  return a.ip.localeCompare(b.ip, undefined, { numeric: true });
}

/** `default/kubernetes` points at the (simulated) API server, maintained by kube-apiserver itself. */
function apiServerEndpoints(service: KubeObject): KubeObject {
  const port = (service.spec?.ports ?? [])[0] ?? { name: 'https', port: 443 };
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: API_SERVER_ENDPOINT.ip }], ports: [{ name: port.name ?? 'https', port: API_SERVER_ENDPOINT.port, protocol: 'TCP' }] }],
  };
}

/** The parts of an Endpoints object the controller owns, for change detection. */
export function endpointsContent(e: KubeObject): string {
  return JSON.stringify([e.metadata.labels ?? {}, e.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'] ?? null, e.subsets ?? []]);
}
