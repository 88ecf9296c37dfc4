import type {
  ConfigMap,
  Endpoints,
  Event,
  LimitRange,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from '../objects.ts';
import { AGE, NAME, accessModes, col, mapSelectorText, nameColumn, orNone, printer, since } from './format.ts';

function externalIp(svc: Service): string {
  const s = svc.spec ?? {};
  const ext: string[] = s.externalIPs ?? [];
  switch (s.type) {
    case 'ClusterIP':
    case 'NodePort':
    case undefined:
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname).filter(Boolean);
      const all = [...ingress, ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return s.externalName ?? '<none>';
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: Service): string {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

export const servicePrinter = printer<Service>([
  NAME,
  [col('Type', 'string', 0, 'type determines how the Service is exposed.'), (svc) => svc.spec?.type ?? 'ClusterIP'],
  [col('Cluster-IP', 'string', 0, 'clusterIP is the IP address of the service and is usually assigned randomly.'), (svc) => orNone(svc.spec?.clusterIP)],
  [
    col('External-IP', 'string', 0, 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    externalIp,
  ],
  [col('Port(s)', 'string', 0, 'The list of ports that are exposed by this service.'), servicePorts],
  AGE,
  [
    col('Selector', 'string', 1, 'Route service traffic to pods with label keys and values matching this selector.'),
    (svc) => mapSelectorText(svc.spec?.selector),
  ],
]);

function endpointsText(ep: Endpoints): string {
  const all: string[] = [];
  for (const ss of ep.subsets ?? []) {
    const ports = ss.ports?.length ? ss.ports : [undefined];
    for (const a of ss.addresses ?? []) for (const p of ports) all.push(p ? `${a.ip}:${p.port}` : a.ip);
  }
  if (all.length === 0) return '<none>';
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

export const endpointsPrinter = printer<Endpoints>([NAME, [col('Endpoints', 'string', 0, 'Endpoints of the service'), endpointsText], AGE]);

/** kubectl's node STATUS: Ready, or NotReady for a Ready condition that is False or Unknown; Unknown without one. */
export function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  let s = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  if (node.spec?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

function nodeRoles(node: Node): string {
  const roles: string[] = [];
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.push(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.push(v);
  }
  return roles.length ? roles.sort().join(',') : '<none>';
}

function nodeAddress(node: Node, type: string): string {
  return orNone((node.status?.addresses ?? []).find((a) => a.type === type)?.address);
}

const nodeInfo = (node: Node): Partial<NonNullable<NonNullable<Node['status']>['nodeInfo']>> => node.status?.nodeInfo ?? {};

export const nodePrinter = printer<Node>([
  NAME,
  [col('Status', 'string', 0, 'The status of the node'), nodeStatus],
  [col('Roles', 'string', 0, 'The roles of the node'), nodeRoles],
  AGE,
  [col('Version', 'string', 0, 'Kubelet Version reported by the node.'), (n) => nodeInfo(n).kubeletVersion ?? ''],
  [col('Internal-IP', 'string', 1, 'List of addresses reachable to the node. Queried from cloud provider, if available.'), (n) => nodeAddress(n, 'InternalIP')],
  [col('External-IP', 'string', 1, 'List of addresses reachable to the node. Queried from cloud provider, if available.'), (n) => nodeAddress(n, 'ExternalIP')],
  [
    col('OS-Image', 'string', 1, 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
    (n) => nodeInfo(n).osImage ?? '<unknown>',
  ],
  [
    col('Kernel-Version', 'string', 1, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    (n) => nodeInfo(n).kernelVersion ?? '<unknown>',
  ],
  [
    col('Container-Runtime', 'string', 1, 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
    (n) => nodeInfo(n).containerRuntimeVersion ?? '<unknown>',
  ],
]);

export const namespacePrinter = printer<Namespace>([
  NAME,
  [col('Status', 'string', 0, 'The status of the namespace'), (ns) => ns.status?.phase ?? 'Active'],
  AGE,
]);

export const configMapPrinter = printer<ConfigMap>([
  NAME,
  [col('Data', 'integer', 0, 'Data contains the configuration data.'), (cm) => Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length],
  AGE,
]);

export const secretPrinter = printer<Secret>([
  NAME,
  [col('Type', 'string', 0, 'The type of the secret'), (s) => s.type ?? 'Opaque'],
  [col('Data', 'integer', 0, 'The number of keys in the secret'), (s) => Object.keys(s.data ?? {}).length],
  AGE,
]);

export const serviceAccountPrinter = printer<ServiceAccount>([
  NAME,
  [
    col('Secrets', 'integer', 0, 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'),
    (sa) => (sa.secrets ?? []).length,
  ],
  AGE,
]);

/** When an event was first seen, and last seen (a series' last observation, else its last timestamp). */
const eventFirstSeen = (e: Event, now: number) => (e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now));
const eventLastSeen = (e: Event, now: number) =>
  e.series?.lastObservedTime ? since(e.series.lastObservedTime, now) : e.lastTimestamp ? since(e.lastTimestamp, now) : eventFirstSeen(e, now);

function eventTarget(e: Event): string {
  const io: Event['involvedObject'] = e.involvedObject ?? {};
  return io.name ? `${String(io.kind ?? '').toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
}

const eventSource = (e: Event) => (e.source?.component ? `${e.source.component}${e.source.host ? `, ${e.source.host}` : ''}` : (e.reportingComponent ?? ''));

export const eventPrinter = printer<Event>([
  [col('Last Seen', 'string', 0, 'Time when last event from this source was observed.'), eventLastSeen],
  [col('Type', 'string', 0, 'Type of this event (Normal, Warning), new types could be added in the future.'), (e) => e.type ?? ''],
  [
    col(
      'Reason',
      'string',
      0,
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    (e) => e.reason ?? '',
  ],
  [col('Object', 'string', 0, 'The object that this event is about.'), eventTarget],
  [col('Subobject', 'string', 1, 'The subobject that this event is about.'), (e) => e.involvedObject?.fieldPath ?? ''],
  [col('Source', 'string', 1, 'The component reporting this event.'), eventSource],
  [col('Message', 'string', 0, 'A human-readable description of the status of this operation.'), (e) => String(e.message ?? '').trim()],
  [col('First Seen', 'string', 1, 'The time at which the event was first recorded.'), eventFirstSeen],
  [col('Count', 'integer', 1, 'The number of times this event has occurred.'), (e) => e.series?.count ?? e.count ?? 1],
  [{ ...nameColumn, priority: 1 }, (e) => e.metadata.name],
]);

/** A claim or volume being deleted reads Terminating, else its phase. */
const volumePhase = (o: PersistentVolumeClaim | PersistentVolume) => (o.metadata.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? 'Pending'));
/** Capacity and access modes show once a claim is bound. */
const claimBound = (pvc: PersistentVolumeClaim) => pvc.status?.phase === 'Bound' || !!pvc.spec?.volumeName;

export const pvcPrinter = printer<PersistentVolumeClaim>([
  NAME,
  [col('Status', 'string', 0, 'Phase represents the current phase of PersistentVolumeClaim.'), volumePhase],
  [col('Volume', 'string', 0, 'VolumeName is the binding reference to the PersistentVolume backing this claim.'), (pvc) => pvc.spec?.volumeName ?? ''],
  [
    col('Capacity', 'string', 0, 'Capacity represents the actual resources of the underlying volume.'),
    (pvc) => (claimBound(pvc) ? (pvc.status?.capacity?.storage ?? '') : ''),
  ],
  [
    col('Access Modes', 'string', 0, 'AccessModes contains the desired access modes the volume should have.'),
    (pvc) => (claimBound(pvc) ? accessModes(pvc.status?.accessModes) : ''),
  ],
  [
    col('StorageClass', 'string', 0, 'StorageClassName is the name of the StorageClass required by the claim.'),
    (pvc) => pvc.spec?.storageClassName ?? '<unset>',
  ],
  [
    col('VolumeAttributesClass', 'string', 0, 'VolumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.'),
    (pvc) => pvc.spec?.volumeAttributesClassName ?? '<unset>',
  ],
  AGE,
  [col('VolumeMode', 'string', 1, 'volumeMode defines what type of volume is required by the claim.'), (pvc) => pvc.spec?.volumeMode ?? '<unset>'],
]);

export const pvPrinter = printer<PersistentVolume>([
  NAME,
  [col('Capacity', 'string', 0, "capacity is the description of the persistent volume's resources and capacity."), (pv) => pv.spec?.capacity?.storage ?? ''],
  [col('Access Modes', 'string', 0, 'accessModes contains all ways the volume can be mounted.'), (pv) => accessModes(pv.spec?.accessModes)],
  [
    col('Reclaim Policy', 'string', 0, 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    (pv) => pv.spec?.persistentVolumeReclaimPolicy ?? '',
  ],
  [col('Status', 'string', 0, 'phase indicates if a volume is available, bound to a claim, or released by a claim.'), volumePhase],
  [
    col('Claim', 'string', 0, 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    (pv) => (pv.spec?.claimRef ? `${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}` : ''),
  ],
  [
    col('StorageClass', 'string', 0, 'storageClassName is the name of StorageClass to which this persistent volume belongs.'),
    (pv) => pv.spec?.storageClassName ?? '',
  ],
  [
    col('VolumeAttributesClass', 'string', 0, 'Name of VolumeAttributesClass to which this persistent volume belongs.'),
    (pv) => pv.spec?.volumeAttributesClassName ?? '<unset>',
  ],
  [col('Reason', 'string', 0, 'reason is a brief CamelCase string that describes any failure.'), (pv) => pv.status?.reason ?? ''],
  AGE,
  [
    col('VolumeMode', 'string', 1, 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.'),
    (pv) => pv.spec?.volumeMode ?? '<unset>',
  ],
]);

export const limitRangePrinter = printer<LimitRange>([
  NAME,
  [
    col('Created At', 'date', 0, 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
    (lr) => lr.metadata.creationTimestamp ?? '',
  ],
]);

/** A quota's `resource: used/hard` pairs, requests and limits apart. */
function quotaUsage(q: ResourceQuota): { req: string; lim: string } {
  const hard = q.status?.hard ?? q.spec?.hard ?? {};
  const used = q.status?.used ?? {};
  const req: string[] = [];
  const lim: string[] = [];
  for (const k of Object.keys(hard).sort()) {
    const text = `${k}: ${used[k] ?? '0'}/${hard[k]}`;
    (k.startsWith('limits.') ? lim : req).push(text);
  }
  return { req: req.join(', '), lim: lim.join(', ') };
}

export const resourceQuotaPrinter = printer<ResourceQuota>([
  NAME,
  AGE,
  [col('Request', 'string', 0, 'Request represents a minimum amount of cpu/memory that a container may consume.'), (q) => quotaUsage(q).req],
  [
    col('Limit', 'string', 0, 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    (q) => quotaUsage(q).lim,
  ],
]);
