import type { IEndpoint, IEndpointPort } from 'kubernetes-models/discovery.k8s.io/v1';
import type { KubeObject } from '../kube/types.ts';
import type { WriteOp } from '../store/objects.ts';
import { API_SERVER_ENDPOINT } from '../kube/cluster-network.ts';
import { endpointHostname, podPorts, podReady, servicePods, serviceSelector } from './service-pods.ts';

/** `--max-endpoints-per-slice` default (k8s-behavior §10). */
export const MAX_ENDPOINTS_PER_SLICE = 100;
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
const RESOURCE = 'endpointslices.discovery.k8s.io';
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

interface DesiredEndpoint {
  uid: string;
  endpoint: IEndpoint;
}

/**
 * Endpoints of a Service for EndpointSlices, grouped by port set: every candidate pod, terminating
 * ones included, with conditions serving (= pod Ready), terminating, and ready = serving and not
 * terminating (always ready with publishNotReadyAddresses).
 */
export function sliceEndpoints(
  service: KubeObject,
  podsOfNamespace: KubeObject[],
  zoneOf: (node: string) => string | undefined,
): Map<string, DesiredEndpoint[]> {
  const publishAll = service.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, DesiredEndpoint[]>();
  const hasPorts = (service.spec?.ports ?? []).length > 0;
  for (const pod of servicePods(service, podsOfNamespace)) {
    const ports = podPorts(service, pod).map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: p.protocol,
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    }));
    if (hasPorts && ports.length === 0) continue;
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const serving = podReady(pod);
    const endpoint: IEndpoint = {
      addresses: [pod.status.podIP],
      conditions: { ready: publishAll || (serving && !terminating), serving: publishAll || serving, terminating },
    };
    const hostname = endpointHostname(service, pod);
    if (hostname) endpoint.hostname = hostname;
    if (pod.spec?.nodeName) {
      endpoint.nodeName = pod.spec.nodeName;
      const zone = zoneOf(pod.spec.nodeName);
      if (zone) endpoint.zone = zone;
    }
    endpoint.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
    const key = JSON.stringify(ports);
    const list = groups.get(key) ?? [];
    list.push({ uid: pod.metadata.uid!, endpoint });
    groups.set(key, list);
  }
  for (const list of groups.values()) list.sort((a, b) => a.endpoint.targetRef!.name!.localeCompare(b.endpoint.targetRef!.name!));
  return groups;
}

/**
 * The writes that make a Service's managed slices match its endpoints, with little churn like the
 * Kubernetes reconciler: endpoints stay in the slice that holds them, new ones fill slices with
 * room (at most 100 each), emptied slices go, and a Service without endpoints keeps one empty slice.
 */
export function reconcileSlices(
  service: KubeObject,
  existing: KubeObject[],
  podsOfNamespace: KubeObject[],
  zoneOf: (node: string) => string | undefined,
  random: () => number = Math.random,
): WriteOp[] {
  const ns = service.metadata.namespace ?? 'default';
  if (ns === 'default' && service.metadata.name === 'kubernetes' && !serviceSelector(service)) return apiServerSlice(service, existing);
  if (!serviceSelector(service)) return existing.map((s) => deleteOp(s));
  const groups = sliceEndpoints(service, podsOfNamespace, zoneOf);
  if (groups.size === 0) groups.set('[]', []);
  const ops: WriteOp[] = [];
  const used = new Set<KubeObject>();
  for (const [portKey, desired] of groups) {
    const byUid = new Map(desired.map((d) => [d.uid, d.endpoint]));
    let mine = existing
      .filter((s) => !used.has(s) && JSON.stringify(s.ports ?? []) === portKey)
      .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    // No endpoints at all: any slice of the Service can become the empty placeholder.
    if (desired.length === 0 && mine.length === 0 && existing.length)
      mine = [...existing].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!)).slice(0, 1);
    const placed = new Set<string>();
    const contents = mine.map((s) => {
      used.add(s);
      const kept = ((s.endpoints as IEndpoint[] | undefined) ?? []).map((e) => e.targetRef?.uid as string).filter((uid) => byUid.has(uid) && !placed.has(uid));
      kept.forEach((uid) => placed.add(uid));
      return kept;
    });
    const waiting = desired.filter((d) => !placed.has(d.uid)).map((d) => d.uid);
    for (const list of contents) while (list.length < MAX_ENDPOINTS_PER_SLICE && waiting.length) list.push(waiting.shift()!);
    while (waiting.length) contents.push(waiting.splice(0, MAX_ENDPOINTS_PER_SLICE));
    if (contents.length === 0) contents.push([]);
    contents.forEach((uids, i) => {
      const slice = mine[i];
      const keepEmpty = desired.length === 0 && i === 0;
      if (uids.length === 0 && !keepEmpty) {
        if (slice) ops.push(deleteOp(slice));
        return;
      }
      const wanted = buildSlice(
        service,
        slice,
        JSON.parse(portKey),
        uids.map((u) => byUid.get(u)!),
        random,
      );
      if (!slice) ops.push({ op: 'create', resource: RESOURCE, object: wanted });
      else if (sliceContent(slice) !== sliceContent(wanted)) ops.push({ op: 'update', resource: RESOURCE, object: wanted });
    });
  }
  for (const s of existing) if (!used.has(s)) ops.push(deleteOp(s));
  return ops;
}

function buildSlice(service: KubeObject, current: KubeObject | undefined, ports: IEndpointPort[], endpoints: IEndpoint[], random: () => number): KubeObject {
  const name = current?.metadata.name ?? `${service.metadata.name!.slice(0, 57)}-${randomSuffix(random)}`;
  const base: KubeObject = current
    ? structuredClone(current)
    : { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace: service.metadata.namespace } };
  base.metadata.labels = { ...(service.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: service.metadata.name!, [MANAGED_BY_LABEL]: MANAGED_BY };
  base.metadata.generateName = `${service.metadata.name}-`;
  base.metadata.ownerReferences = [
    { apiVersion: 'v1', kind: 'Service', name: service.metadata.name!, uid: service.metadata.uid!, controller: true, blockOwnerDeletion: true },
  ];
  base.addressType = 'IPv4';
  base.endpoints = endpoints;
  base.ports = ports;
  return base;
}

/** The parts of a slice the controller owns, for change detection. */
export function sliceContent(s: KubeObject): string {
  return JSON.stringify([s.metadata.labels ?? {}, s.metadata.ownerReferences ?? [], s.addressType, s.endpoints ?? [], s.ports ?? []]);
}

function apiServerSlice(service: KubeObject, existing: KubeObject[]): WriteOp[] {
  const port = (service.spec?.ports ?? [])[0] ?? { name: 'https' };
  const wanted: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { [SERVICE_NAME_LABEL]: 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [API_SERVER_ENDPOINT.ip], conditions: { ready: true } }],
    ports: [{ name: port.name ?? 'https', port: API_SERVER_ENDPOINT.port, protocol: 'TCP' }],
  };
  const current = existing.find((s) => s.metadata.name === 'kubernetes');
  const ops: WriteOp[] = existing.filter((s) => s !== current).map((s) => deleteOp(s));
  if (!current) ops.push({ op: 'create', resource: RESOURCE, object: wanted });
  else if (sliceContent(current) !== sliceContent(wanted))
    ops.push({ op: 'update', resource: RESOURCE, object: { ...current, ...wanted, metadata: { ...current.metadata, labels: wanted.metadata.labels } } });
  return ops;
}

function deleteOp(slice: KubeObject): WriteOp {
  return { op: 'delete', resource: RESOURCE, namespace: slice.metadata.namespace ?? '', name: slice.metadata.name!, uid: slice.metadata.uid };
}

function randomSuffix(random: () => number): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_CHARS[Math.floor(random() * NAME_CHARS.length)];
  return s;
}

export const ENDPOINT_SLICE_RESOURCE = RESOURCE;
