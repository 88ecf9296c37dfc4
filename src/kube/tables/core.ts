/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../types.ts';
import { accessModes, age, ageColumn, col, mapSelectorText, nameColumn, orNone, since, type Printer } from './format.ts';

function externalIp(svc: KubeObject): string {
  const s = svc.spec ?? {};
  const ext: string[] = s.externalIPs ?? [];
  switch (s.type) {
    case 'ClusterIP':
    case 'NodePort':
    case undefined:
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).filter(Boolean);
      const all = [...ingress, ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return s.externalName ?? '<none>';
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: KubeObject): string {
  const ports: any[] = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    col('Type', 'string', 0, 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'string', 0, 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'string', 0, 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 0, 'The list of ports that are exposed by this service.'),
    ageColumn,
    col('Selector', 'string', 1, 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  cells: (svc, now) => [
    svc.metadata.name,
    svc.spec?.type ?? 'ClusterIP',
    orNone(svc.spec?.clusterIP),
    externalIp(svc),
    servicePorts(svc),
    age(svc, now),
    mapSelectorText(svc.spec?.selector),
  ],
};

function endpointsText(ep: KubeObject): string {
  const all: string[] = [];
  for (const ss of (ep.subsets as any[]) ?? []) {
    const ports: any[] = ss.ports?.length ? ss.ports : [undefined];
    for (const a of ss.addresses ?? []) for (const p of ports) all.push(p ? `${a.ip}:${p.port}` : a.ip);
  }
  if (all.length === 0) return '<none>';
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

export const endpointsPrinter: Printer = {
  columns: [nameColumn, col('Endpoints', 'string', 0, 'Endpoints of the service'), ageColumn],
  cells: (ep, now) => [ep.metadata.name, endpointsText(ep), age(ep, now)],
};

/** kubectl's node STATUS: Ready, or NotReady for a Ready condition that is False or Unknown; Unknown without one. */
export function nodeStatus(node: KubeObject): string {
  const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  let s = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  if (node.spec?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

function nodeRoles(node: KubeObject): string {
  const roles: string[] = [];
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.push(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.push(v);
  }
  return roles.length ? roles.sort().join(',') : '<none>';
}

function nodeAddress(node: KubeObject, type: string): string {
  return orNone((node.status?.addresses ?? []).find((a: any) => a.type === type)?.address);
}

export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 0, 'The status of the node'),
    col('Roles', 'string', 0, 'The roles of the node'),
    ageColumn,
    col('Version', 'string', 0, 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 1, 'List of addresses reachable to the node. Queried from cloud provider, if available.'),
    col('External-IP', 'string', 1, 'List of addresses reachable to the node. Queried from cloud provider, if available.'),
    col('OS-Image', 'string', 1, 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
    col('Kernel-Version', 'string', 1, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    col('Container-Runtime', 'string', 1, 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
  ],
  cells: (n, now) => {
    const info = n.status?.nodeInfo ?? {};
    return [
      n.metadata.name,
      nodeStatus(n),
      nodeRoles(n),
      age(n, now),
      info.kubeletVersion ?? '',
      nodeAddress(n, 'InternalIP'),
      nodeAddress(n, 'ExternalIP'),
      info.osImage ?? '<unknown>',
      info.kernelVersion ?? '<unknown>',
      info.containerRuntimeVersion ?? '<unknown>',
    ];
  },
};

export const namespacePrinter: Printer = {
  columns: [nameColumn, col('Status', 'string', 0, 'The status of the namespace'), ageColumn],
  cells: (ns, now) => [ns.metadata.name, ns.status?.phase ?? 'Active', age(ns, now)],
};

export const configMapPrinter: Printer = {
  columns: [nameColumn, col('Data', 'integer', 0, 'Data contains the configuration data.'), ageColumn],
  cells: (cm, now) => [cm.metadata.name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age(cm, now)],
};

export const secretPrinter: Printer = {
  columns: [nameColumn, col('Type', 'string', 0, 'The type of the secret'), col('Data', 'integer', 0, 'The number of keys in the secret'), ageColumn],
  cells: (s, now) => [s.metadata.name, s.type ?? 'Opaque', Object.keys(s.data ?? {}).length, age(s, now)],
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, col('Secrets', 'integer', 0, 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn],
  cells: (sa, now) => [sa.metadata.name, ((sa.secrets as unknown[]) ?? []).length, age(sa, now)],
};

export const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'string', 0, 'Time when last event from this source was observed.'),
    col('Type', 'string', 0, 'Type of this event (Normal, Warning), new types could be added in the future.'),
    col('Reason', 'string', 0, 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    col('Object', 'string', 0, 'The object that this event is about.'),
    col('Subobject', 'string', 1, 'The subobject that this event is about.'),
    col('Source', 'string', 1, 'The component reporting this event.'),
    col('Message', 'string', 0, 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 1, 'The time at which the event was first recorded.'),
    col('Count', 'integer', 1, 'The number of times this event has occurred.'),
    { ...nameColumn, priority: 1 },
  ],
  cells: (e: any, now) => {
    const first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
    const last = e.series?.lastObservedTime ? since(e.series.lastObservedTime, now) : e.lastTimestamp ? since(e.lastTimestamp, now) : first;
    const io = e.involvedObject ?? {};
    const target = io.name ? `${String(io.kind ?? '').toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
    const source = e.source?.component ? `${e.source.component}${e.source.host ? `, ${e.source.host}` : ''}` : (e.reportingComponent ?? '');
    return [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', source, String(e.message ?? '').trim(), first, e.series?.count ?? e.count ?? 1, e.metadata.name];
  },
};

export const pvcPrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 0, 'Phase represents the current phase of PersistentVolumeClaim.'),
    col('Volume', 'string', 0, 'VolumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'string', 0, 'Capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'string', 0, 'AccessModes contains the desired access modes the volume should have.'),
    col('StorageClass', 'string', 0, 'StorageClassName is the name of the StorageClass required by the claim.'),
    col('VolumeAttributesClass', 'string', 0, 'VolumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.'),
    ageColumn,
    col('VolumeMode', 'string', 1, 'volumeMode defines what type of volume is required by the claim.'),
  ],
  cells: (pvc, now) => {
    const bound = pvc.status?.phase === 'Bound' || !!pvc.spec?.volumeName;
    const phase = pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? 'Pending');
    return [
      pvc.metadata.name,
      phase,
      pvc.spec?.volumeName ?? '',
      bound ? (pvc.status?.capacity?.storage ?? '') : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      pvc.spec?.storageClassName ?? '<unset>',
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      age(pvc, now),
      pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
};

export const pvPrinter: Printer = {
  columns: [
    nameColumn,
    col('Capacity', 'string', 0, 'capacity is the description of the persistent volume\'s resources and capacity.'),
    col('Access Modes', 'string', 0, 'accessModes contains all ways the volume can be mounted.'),
    col('Reclaim Policy', 'string', 0, 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    col('Status', 'string', 0, 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    col('Claim', 'string', 0, 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    col('StorageClass', 'string', 0, 'storageClassName is the name of StorageClass to which this persistent volume belongs.'),
    col('VolumeAttributesClass', 'string', 0, 'Name of VolumeAttributesClass to which this persistent volume belongs.'),
    col('Reason', 'string', 0, 'reason is a brief CamelCase string that describes any failure.'),
    ageColumn,
    col('VolumeMode', 'string', 1, 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.'),
  ],
  cells: (pv, now) => {
    const ref = pv.spec?.claimRef;
    const phase = pv.metadata.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? 'Pending');
    return [
      pv.metadata.name,
      pv.spec?.capacity?.storage ?? '',
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '',
      phase,
      ref ? `${ref.namespace}/${ref.name}` : '',
      pv.spec?.storageClassName ?? '',
      pv.spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      age(pv, now),
      pv.spec?.volumeMode ?? '<unset>',
    ];
  },
};

export const limitRangePrinter: Printer = {
  columns: [nameColumn, col('Created At', 'date', 0, 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
  cells: (lr) => [lr.metadata.name, lr.metadata.creationTimestamp ?? ''],
};

export const resourceQuotaPrinter: Printer = {
  columns: [nameColumn, ageColumn, col('Request', 'string', 0, 'Request represents a minimum amount of cpu/memory that a container may consume.'), col('Limit', 'string', 0, 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.')],
  cells: (q, now) => {
    const hard: Record<string, string> = q.status?.hard ?? q.spec?.hard ?? {};
    const used: Record<string, string> = q.status?.used ?? {};
    const req: string[] = [];
    const lim: string[] = [];
    for (const k of Object.keys(hard).sort()) {
      const text = `${k}: ${used[k] ?? '0'}/${hard[k]}`;
      (k.startsWith('limits.') ? lim : req).push(text);
    }
    return [q.metadata.name, age(q, now), req.join(', '), lim.join(', ')];
  },
};
