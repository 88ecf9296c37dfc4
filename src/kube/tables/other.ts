/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../types.ts';
import { age, ageColumn, col, nameColumn, orNone, type Printer } from './format.ts';

function metricTarget(m: any): { name: string; target: string; current: (c: any) => string } | undefined {
  const fmtTarget = (t: any) => (t?.type === 'Utilization' ? `${t.averageUtilization}%` : (t?.averageValue ?? t?.value ?? '<unknown>'));
  const fmtCurrent = (c: any, t: any) => {
    if (!c) return '<unknown>';
    if (t?.type === 'Utilization') return c.averageUtilization !== undefined ? `${c.averageUtilization}%` : '<unknown>';
    return c.averageValue ?? c.value ?? '<unknown>';
  };
  switch (m?.type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = m.resource ?? m.containerResource;
      return {
        name: src?.name ?? '',
        target: fmtTarget(src?.target),
        current: (cur) => fmtCurrent((cur?.resource ?? cur?.containerResource)?.current, src?.target),
      };
    }
    case 'Pods':
    case 'Object':
    case 'External': {
      const src = m.pods ?? m.object ?? m.external;
      return { name: src?.metric?.name ?? '', target: fmtTarget(src?.target), current: (cur) => fmtCurrent((cur?.pods ?? cur?.object ?? cur?.external)?.current, src?.target) };
    }
  }
  return undefined;
}

/** `cpu: 250%/50%`, the TARGETS column of kubectl get hpa. */
function hpaTargets(hpa: KubeObject): string {
  const metrics: any[] = hpa.spec?.metrics ?? [];
  if (metrics.length === 0) return '<none>';
  const currents: any[] = hpa.status?.currentMetrics ?? [];
  const parts = metrics.slice(0, 3).map((m, i) => {
    const t = metricTarget(m);
    if (!t) return '<unknown>';
    const cur = currents.find((c) => c.type === m.type && ((c.resource ?? c.containerResource)?.name ?? (c.pods ?? c.object ?? c.external)?.metric?.name) === t.name) ?? currents[i];
    return `${t.name}: ${t.current(cur)}/${t.target}`;
  });
  const more = metrics.length > 3 ? ` + ${metrics.length - 3} more...` : '';
  return parts.join(', ') + more;
}

export const hpaPrinter: Printer = {
  columns: [
    nameColumn,
    col('Reference', 'string', 0, 'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.'),
    col('Targets', 'string', 0, 'metrics contains the specifications for which to use to calculate the desired replica count.'),
    col('MinPods', 'string', 0, 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    col('MaxPods', 'integer', 0, 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    col('Replicas', 'integer', 0, 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    ageColumn,
  ],
  cells: (h, now) => [
    h.metadata.name,
    `${h.spec?.scaleTargetRef?.kind ?? ''}/${h.spec?.scaleTargetRef?.name ?? ''}`,
    hpaTargets(h),
    h.spec?.minReplicas !== undefined ? String(h.spec.minReplicas) : '<unset>',
    h.spec?.maxReplicas ?? 0,
    h.status?.currentReplicas ?? 0,
    age(h, now),
  ],
};

export const pdbPrinter: Printer = {
  columns: [
    nameColumn,
    col('Min Available', 'string', 0, 'The minimum number of pods that must be available simultaneously.'),
    col('Max Unavailable', 'string', 0, 'The maximum number of pods that may be unavailable simultaneously.'),
    col('Allowed Disruptions', 'integer', 0, 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  cells: (p, now) => [
    p.metadata.name,
    p.spec?.minAvailable !== undefined ? String(p.spec.minAvailable) : 'N/A',
    p.spec?.maxUnavailable !== undefined ? String(p.spec.maxUnavailable) : 'N/A',
    p.status?.disruptionsAllowed ?? 0,
    age(p, now),
  ],
};

export const storageClassPrinter: Printer = {
  columns: [
    nameColumn,
    col('Provisioner', 'string', 0, 'Indicates the type of the provisioner.'),
    col('ReclaimPolicy', 'string', 0, 'Dynamically provisioned PersistentVolumes of this storage class are created with this reclaimPolicy.'),
    col('VolumeBindingMode', 'string', 0, 'VolumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    col('AllowVolumeExpansion', 'string', 0, 'AllowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageColumn,
  ],
  cells: (sc, now) => {
    const isDefault = sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' || sc.metadata.annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
    return [
      isDefault ? `${sc.metadata.name} (default)` : sc.metadata.name,
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      sc.allowVolumeExpansion === true ? 'true' : 'false',
      age(sc, now),
    ];
  },
};

export const leasePrinter: Printer = {
  columns: [nameColumn, col('Holder', 'string', 0, 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn],
  cells: (l, now) => [l.metadata.name, l.spec?.holderIdentity ?? '', age(l, now)],
};

export const runtimeClassPrinter: Printer = {
  columns: [nameColumn, col('Handler', 'string', 0, 'handler specifies the underlying runtime and configuration that the CRI implementation will use.'), ageColumn],
  cells: (rc, now) => [rc.metadata.name, rc.handler ?? '', age(rc, now)],
};

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn,
    col('Value', 'integer', 0, 'value represents the integer value of this priority class.'),
    col('Global-Default', 'boolean', 0, 'globalDefault specifies whether this PriorityClass should be considered as the default priority.'),
    ageColumn,
    col('PreemptionPolicy', 'string', 0, 'preemptionPolicy is the Policy for preempting pods with lower priority.'),
  ],
  cells: (pc, now) => [pc.metadata.name, pc.value ?? 0, pc.globalDefault === true, age(pc, now), pc.preemptionPolicy ?? 'PreemptLowerPriority'],
};

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    col('AddressType', 'string', 0, 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'string', 0, 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'string', 0, 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn,
  ],
  cells: (es, now) => {
    const ports = ((es.ports as any[]) ?? []).map((p) => String(p.port ?? '')).filter(Boolean);
    const addrs = ((es.endpoints as any[]) ?? []).flatMap((e) => e.addresses ?? []);
    const addrText = addrs.length === 0 ? '<none>' : addrs.length > 3 ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...` : addrs.join(',');
    return [es.metadata.name, es.addressType ?? '', ports.length ? ports.join(',') : '<unset>', addrText, age(es, now)];
  },
};

export const vpaPrinter: Printer = {
  columns: [nameColumn, col('Mode'), col('CPU'), col('Mem'), col('Provided'), ageColumn],
  cells: (v, now) => {
    const rec = v.status?.recommendation?.containerRecommendations?.[0]?.target ?? {};
    const provided = (v.status?.conditions ?? []).find((c: any) => c.type === 'RecommendationProvided')?.status ?? '';
    return [v.metadata.name, v.spec?.updatePolicy?.updateMode ?? '', orNone(rec.cpu), orNone(rec.memory), provided, age(v, now)];
  },
};

/** Kinds without a dedicated printer print NAME and AGE, as kubectl's default table does. */
export const defaultPrinter: Printer = {
  columns: [nameColumn, ageColumn],
  cells: (o, now) => [o.metadata.name, age(o, now)],
};
