import type { IMetricSpec, IMetricStatus, IMetricTarget, IMetricValueStatus } from 'kubernetes-models/autoscaling/v2';
import type { VerticalPodAutoscaler } from '../admission/vpa/types.ts';
import type { EndpointSlice, HorizontalPodAutoscaler, Lease, PodDisruptionBudget, PriorityClass, RuntimeClass, StorageClass } from '../objects.ts';
import { AGE, NAME, col, nameColumn, orNone, printer } from './format.ts';

function metricTarget(m: IMetricSpec): { name: string; target: string | number; current: (c: IMetricStatus | undefined) => string | number } | undefined {
  const fmtTarget = (t: IMetricTarget | undefined) => (t?.type === 'Utilization' ? `${t.averageUtilization}%` : (t?.averageValue ?? t?.value ?? '<unknown>'));
  const fmtCurrent = (c: IMetricValueStatus | undefined, t: IMetricTarget | undefined) => {
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
      return {
        name: src?.metric?.name ?? '',
        target: fmtTarget(src?.target),
        current: (cur) => fmtCurrent((cur?.pods ?? cur?.object ?? cur?.external)?.current, src?.target),
      };
    }
  }
  return undefined;
}

/** `cpu: 250%/50%`, the TARGETS column of kubectl get hpa. */
function hpaTargets(hpa: HorizontalPodAutoscaler): string {
  const metrics = hpa.spec?.metrics ?? [];
  if (metrics.length === 0) return '<none>';
  const currents = hpa.status?.currentMetrics ?? [];
  const parts = metrics.slice(0, 3).map((m, i) => {
    const t = metricTarget(m);
    if (!t) return '<unknown>';
    const cur =
      currents.find((c) => c.type === m.type && ((c.resource ?? c.containerResource)?.name ?? (c.pods ?? c.object ?? c.external)?.metric?.name) === t.name) ??
      currents[i];
    return `${t.name}: ${t.current(cur)}/${t.target}`;
  });
  const more = metrics.length > 3 ? ` + ${metrics.length - 3} more...` : '';
  return parts.join(', ') + more;
}

export const hpaPrinter = printer<HorizontalPodAutoscaler>([
  NAME,
  [
    col(
      'Reference',
      'string',
      0,
      'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.',
    ),
    (h) => `${h.spec?.scaleTargetRef?.kind ?? ''}/${h.spec?.scaleTargetRef?.name ?? ''}`,
  ],
  [col('Targets', 'string', 0, 'metrics contains the specifications for which to use to calculate the desired replica count.'), hpaTargets],
  [
    col('MinPods', 'string', 0, 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    (h) => (h.spec?.minReplicas !== undefined ? String(h.spec.minReplicas) : '<unset>'),
  ],
  [
    col('MaxPods', 'integer', 0, 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    (h) => h.spec?.maxReplicas ?? 0,
  ],
  [
    col('Replicas', 'integer', 0, 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    (h) => h.status?.currentReplicas ?? 0,
  ],
  AGE,
]);

export const pdbPrinter = printer<PodDisruptionBudget>([
  NAME,
  [
    col('Min Available', 'string', 0, 'The minimum number of pods that must be available simultaneously.'),
    (p) => (p.spec?.minAvailable !== undefined ? String(p.spec.minAvailable) : 'N/A'),
  ],
  [
    col('Max Unavailable', 'string', 0, 'The maximum number of pods that may be unavailable simultaneously.'),
    (p) => (p.spec?.maxUnavailable !== undefined ? String(p.spec.maxUnavailable) : 'N/A'),
  ],
  [col('Allowed Disruptions', 'integer', 0, 'Calculated number of pods that may be disrupted at this time.'), (p) => p.status?.disruptionsAllowed ?? 0],
  AGE,
]);

function storageClassName(sc: StorageClass): unknown {
  const annotations = sc.metadata.annotations;
  const isDefault =
    annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' || annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
  return isDefault ? `${sc.metadata.name} (default)` : sc.metadata.name;
}

export const storageClassPrinter = printer<StorageClass>([
  [nameColumn, storageClassName],
  [col('Provisioner', 'string', 0, 'Indicates the type of the provisioner.'), (sc) => sc.provisioner ?? ''],
  [
    col('ReclaimPolicy', 'string', 0, 'Dynamically provisioned PersistentVolumes of this storage class are created with this reclaimPolicy.'),
    (sc) => sc.reclaimPolicy ?? 'Delete',
  ],
  [
    col('VolumeBindingMode', 'string', 0, 'VolumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    (sc) => sc.volumeBindingMode ?? 'Immediate',
  ],
  [
    col('AllowVolumeExpansion', 'string', 0, 'AllowVolumeExpansion shows whether the storage class allow volume expand.'),
    (sc) => (sc.allowVolumeExpansion === true ? 'true' : 'false'),
  ],
  AGE,
]);

export const leasePrinter = printer<Lease>([
  NAME,
  [col('Holder', 'string', 0, 'holderIdentity contains the identity of the holder of a current lease.'), (l) => l.spec?.holderIdentity ?? ''],
  AGE,
]);

export const runtimeClassPrinter = printer<RuntimeClass>([
  NAME,
  [col('Handler', 'string', 0, 'handler specifies the underlying runtime and configuration that the CRI implementation will use.'), (rc) => rc.handler ?? ''],
  AGE,
]);

export const priorityClassPrinter = printer<PriorityClass>([
  NAME,
  [col('Value', 'integer', 0, 'value represents the integer value of this priority class.'), (pc) => pc.value ?? 0],
  [
    col('Global-Default', 'boolean', 0, 'globalDefault specifies whether this PriorityClass should be considered as the default priority.'),
    (pc) => pc.globalDefault === true,
  ],
  AGE,
  [
    col('PreemptionPolicy', 'string', 0, 'preemptionPolicy is the Policy for preempting pods with lower priority.'),
    (pc) => pc.preemptionPolicy ?? 'PreemptLowerPriority',
  ],
]);

function sliceEndpoints(es: EndpointSlice): string {
  const addrs = (es.endpoints ?? []).flatMap((e) => e.addresses ?? []);
  return addrs.length === 0 ? '<none>' : addrs.length > 3 ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...` : addrs.join(',');
}

function slicePorts(es: EndpointSlice): string {
  const ports = (es.ports ?? []).map((p) => String(p.port ?? '')).filter(Boolean);
  return ports.length ? ports.join(',') : '<unset>';
}

export const endpointSlicePrinter = printer<EndpointSlice>([
  NAME,
  [col('AddressType', 'string', 0, 'addressType specifies the type of address carried by this EndpointSlice.'), (es) => es.addressType ?? ''],
  [col('Ports', 'string', 0, 'ports specifies the list of network ports exposed by each endpoint in this slice.'), slicePorts],
  [col('Endpoints', 'string', 0, 'endpoints is a list of unique endpoints in this slice.'), sliceEndpoints],
  AGE,
]);

const vpaTarget = (v: VerticalPodAutoscaler): Record<string, string> => v.status?.recommendation?.containerRecommendations?.[0]?.target ?? {};

export const vpaPrinter = printer<VerticalPodAutoscaler>([
  NAME,
  [col('Mode'), (v) => v.spec?.updatePolicy?.updateMode ?? ''],
  [col('CPU'), (v) => orNone(vpaTarget(v).cpu)],
  [col('Mem'), (v) => orNone(vpaTarget(v).memory)],
  [col('Provided'), (v) => (v.status?.conditions ?? []).find((c) => c.type === 'RecommendationProvided')?.status ?? ''],
  AGE,
]);

/** Kinds without a dedicated printer print NAME and AGE, as kubectl's default table does. */
export const defaultPrinter = printer([NAME, AGE]);
