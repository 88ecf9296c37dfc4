/**
 * Strategic-merge metadata of the built-in kinds: which lists merge by a key (`patchMergeKey`),
 * which primitive lists merge as sets, and which objects carry `retainKeys`. Lists not listed
 * here are atomic (replaced whole), as for tolerations, args and selector terms.
 */
export interface FieldMeta {
  /** Named type of the field's value (or of its list elements). */
  type?: string;
  /** The merge key of a list of objects. */
  key?: string;
  /** `merge` for keyed or set-like lists; `retainKeys` on unions such as a Deployment's strategy. */
  merge?: boolean;
  retainKeys?: boolean;
  /** Owned as one value by server-side apply (LabelSelector and other `+structType=atomic` fields). */
  atomic?: boolean;
}

type TypeTable = Record<string, Record<string, FieldMeta>>;

const meta = { metadata: { type: 'ObjectMeta' } };
const conditions: FieldMeta = { key: 'type', merge: true };

export const TYPES: TypeTable = {
  ObjectMeta: { ownerReferences: { key: 'uid', merge: true }, finalizers: { merge: true } },
  PodTemplateSpec: { ...meta, spec: { type: 'PodSpec' } },
  PodSpec: {
    containers: { type: 'Container', key: 'name', merge: true },
    initContainers: { type: 'Container', key: 'name', merge: true },
    ephemeralContainers: { type: 'Container', key: 'name', merge: true },
    volumes: { type: 'Volume', key: 'name', merge: true, retainKeys: true },
    imagePullSecrets: { key: 'name', merge: true },
    hostAliases: { key: 'ip', merge: true },
    topologySpreadConstraints: { key: 'topologyKey', merge: true },
    schedulingGates: { key: 'name', merge: true },
    resourceClaims: { key: 'name', merge: true, retainKeys: true },
  },
  Container: {
    ports: { key: 'containerPort', merge: true },
    env: { key: 'name', merge: true },
    volumeMounts: { key: 'mountPath', merge: true },
    volumeDevices: { key: 'devicePath', merge: true },
  },
  Volume: {},
  PodStatus: {
    conditions,
    podIPs: { key: 'ip', merge: true },
    hostIPs: { key: 'ip', merge: true },
    resourceClaimStatuses: { key: 'name', merge: true, retainKeys: true },
  },
  ServiceSpec: { ports: { key: 'port', merge: true }, selector: { atomic: true } },
  ServiceStatus: { conditions },
  NodeSpec: { podCIDRs: { merge: true } },
  NodeStatus: { conditions, addresses: { key: 'type', merge: true } },
  DeploymentSpec: { template: { type: 'PodTemplateSpec' }, strategy: { retainKeys: true }, selector: { atomic: true } },
  ReplicaSetSpec: { template: { type: 'PodTemplateSpec' }, selector: { atomic: true } },
  ReplicationControllerSpec: { template: { type: 'PodTemplateSpec' }, selector: { atomic: true } },
  StatefulSetSpec: { template: { type: 'PodTemplateSpec' }, selector: { atomic: true } },
  DaemonSetSpec: { template: { type: 'PodTemplateSpec' }, selector: { atomic: true } },
  JobSpec: { template: { type: 'PodTemplateSpec' }, selector: { atomic: true } },
  PodDisruptionBudgetSpec: { selector: { atomic: true } },
  JobTemplateSpec: { ...meta, spec: { type: 'JobSpec' } },
  CronJobSpec: { jobTemplate: { type: 'JobTemplateSpec' } },
  WorkloadStatus: { conditions },
  PersistentVolumeClaimStatus: { conditions },
  NamespaceStatus: { conditions },
  HorizontalPodAutoscalerStatus: { conditions },
  PodDisruptionBudgetStatus: { conditions: { key: 'type', merge: true } },
};

const withStatus = (spec: string | undefined, status = 'WorkloadStatus') => ({ ...meta, ...(spec ? { spec: { type: spec } } : {}), status: { type: status } });

/** The root type of each kind. Unknown kinds get ObjectMeta only. */
export const KINDS: TypeTable = {
  Pod: withStatus('PodSpec', 'PodStatus'),
  PodTemplate: { ...meta, template: { type: 'PodTemplateSpec' } },
  Service: withStatus('ServiceSpec', 'ServiceStatus'),
  Node: withStatus('NodeSpec', 'NodeStatus'),
  Deployment: withStatus('DeploymentSpec'),
  ReplicaSet: withStatus('ReplicaSetSpec'),
  ReplicationController: withStatus('ReplicationControllerSpec'),
  StatefulSet: withStatus('StatefulSetSpec'),
  DaemonSet: withStatus('DaemonSetSpec'),
  Job: withStatus('JobSpec'),
  CronJob: withStatus('CronJobSpec'),
  PersistentVolumeClaim: withStatus(undefined, 'PersistentVolumeClaimStatus'),
  Namespace: withStatus(undefined, 'NamespaceStatus'),
  HorizontalPodAutoscaler: withStatus(undefined, 'HorizontalPodAutoscalerStatus'),
  PodDisruptionBudget: withStatus('PodDisruptionBudgetSpec', 'PodDisruptionBudgetStatus'),
};

export function rootType(kind: string): Record<string, FieldMeta> {
  return KINDS[kind] ?? meta;
}

export function fieldsOf(type: string | undefined): Record<string, FieldMeta> {
  return (type && TYPES[type]) || {};
}
