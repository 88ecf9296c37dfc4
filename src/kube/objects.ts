import type {
  IComponentStatus,
  IConfigMap,
  IContainer,
  IContainerStateRunning,
  IContainerStateTerminated,
  IContainerStatus,
  IEndpoints,
  IEvent,
  ILimitRange,
  INamespace,
  INode,
  INodeCondition,
  IPersistentVolume,
  IPersistentVolumeClaim,
  IPod,
  IPodCondition,
  IPodSpec,
  IPodStatus,
  IPodAffinityTerm,
  IPodTemplate,
  IPodTemplateSpec,
  IWeightedPodAffinityTerm,
  IReplicationController,
  IResourceQuota,
  ISecret,
  IService,
  IServiceAccount,
  ITaint,
  IToleration,
} from 'kubernetes-models/v1';
import type { IControllerRevision, IDaemonSet, IDeployment, IReplicaSet, IStatefulSet } from 'kubernetes-models/apps/v1';
import type { ICronJob, IJob } from 'kubernetes-models/batch/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { ICSINode, IStorageClass } from 'kubernetes-models/storage.k8s.io/v1';
import type { IEndpointSlice } from 'kubernetes-models/discovery.k8s.io/v1';
import type { ILease } from 'kubernetes-models/coordination.k8s.io/v1';
import type { IIngress, IIngressClass, INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IClusterRoleBinding, IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import type { IRuntimeClass } from 'kubernetes-models/node.k8s.io/v1';
import type { IPriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import type { ICustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1';
import type { KubeObject } from './types.ts';

/**
 * Named Kubernetes kinds as kates stores them: upstream's spec, status and other top-level fields,
 * taken from the `kubernetes-models` interfaces (generated from upstream's OpenAPI, the same source
 * as `./openapi`), with kates' own metadata shape (`ObjectMeta`, always present once stored).
 * Every import here is type-only, so nothing of the package reaches a bundle.
 */
type SpecOf<T> = T extends { spec?: infer S } ? NonNullable<S> : undefined;
type StatusOf<T> = T extends { status?: infer S } ? NonNullable<S> : undefined;
type TopLevel<T> = Partial<Omit<T, 'apiVersion' | 'kind' | 'metadata' | 'spec' | 'status'>>;

/** A stored object of the upstream kind `T`. */
export type Stored<T> = KubeObject<SpecOf<T>, StatusOf<T>> & TopLevel<T>;

export type Pod = Stored<IPod>;
export type Node = Stored<INode>;
export type Namespace = Stored<INamespace>;
export type Service = Stored<IService>;
export type Endpoints = Stored<IEndpoints>;
export type EndpointSlice = Stored<IEndpointSlice>;
export type PersistentVolumeClaim = Stored<IPersistentVolumeClaim>;
export type PersistentVolume = Stored<IPersistentVolume>;
export type StorageClass = Stored<IStorageClass>;
export type CSINode = Stored<ICSINode>;
export type ConfigMap = Stored<IConfigMap>;
export type ServiceAccount = Stored<IServiceAccount>;
export type ResourceQuota = Stored<IResourceQuota>;
export type LimitRange = Stored<ILimitRange>;
export type Event = Stored<IEvent>;
export type ReplicationController = Stored<IReplicationController>;
export type Deployment = Stored<IDeployment>;
export type ReplicaSet = Stored<IReplicaSet>;
export type StatefulSet = Stored<IStatefulSet>;
export type DaemonSet = Stored<IDaemonSet>;
export type ControllerRevision = Stored<IControllerRevision>;
export type Job = Stored<IJob>;
export type CronJob = Stored<ICronJob>;
export type HorizontalPodAutoscaler = Stored<IHorizontalPodAutoscaler>;
export type PodDisruptionBudget = Stored<IPodDisruptionBudget>;
export type Lease = Stored<ILease>;
export type PriorityClass = Stored<IPriorityClass>;
export type CustomResourceDefinition = Stored<ICustomResourceDefinition>;
export type Secret = Stored<ISecret>;
export type PodTemplateObject = Stored<IPodTemplate>;
export type ComponentStatus = Stored<IComponentStatus>;
export type Ingress = Stored<IIngress>;
export type IngressClass = Stored<IIngressClass>;
export type NetworkPolicy = Stored<INetworkPolicy>;
export type RoleBinding = Stored<IRoleBinding> | Stored<IClusterRoleBinding>;
export type RuntimeClass = Stored<IRuntimeClass>;

export type PodSpec = IPodSpec;
export type PodStatus = IPodStatus;
export type PodCondition = IPodCondition;
export type Container = IContainer;
export type ContainerStatus = IContainerStatus;
export type ContainerStateRunning = IContainerStateRunning;
export type ContainerStateTerminated = IContainerStateTerminated;
export type NodeCondition = INodeCondition;
export type Taint = ITaint;
export type Toleration = IToleration;
export type PodAffinityTerm = IPodAffinityTerm;
export type WeightedPodAffinityTerm = IWeightedPodAffinityTerm;

/** A claim template as a StatefulSet carries it. */
export type ClaimTemplate = NonNullable<IStatefulSet['spec']>['volumeClaimTemplates'] & object extends (infer C)[] ? C : never;

/** A pod template as workloads carry it. */
export type PodTemplate = IPodTemplateSpec;

/**
 * The kind each resource key of the store holds, so a list of `pods` reads as `Pod[]`. Keys not
 * named here (custom resources, kinds no controller reads) stay plain `KubeObject`s.
 */
export interface StoredKinds {
  pods: Pod;
  nodes: Node;
  namespaces: Namespace;
  services: Service;
  endpoints: Endpoints;
  'endpointslices.discovery.k8s.io': EndpointSlice;
  persistentvolumeclaims: PersistentVolumeClaim;
  persistentvolumes: PersistentVolume;
  'storageclasses.storage.k8s.io': StorageClass;
  'csinodes.storage.k8s.io': CSINode;
  configmaps: ConfigMap;
  serviceaccounts: ServiceAccount;
  resourcequotas: ResourceQuota;
  limitranges: LimitRange;
  events: Event;
  replicationcontrollers: ReplicationController;
  'deployments.apps': Deployment;
  'replicasets.apps': ReplicaSet;
  'statefulsets.apps': StatefulSet;
  'daemonsets.apps': DaemonSet;
  'controllerrevisions.apps': ControllerRevision;
  'jobs.batch': Job;
  'cronjobs.batch': CronJob;
  'horizontalpodautoscalers.autoscaling': HorizontalPodAutoscaler;
  'poddisruptionbudgets.policy': PodDisruptionBudget;
  'leases.coordination.k8s.io': Lease;
  'priorityclasses.scheduling.k8s.io': PriorityClass;
  'customresourcedefinitions.apiextensions.k8s.io': CustomResourceDefinition;
}

/** The stored type of a resource key: its named kind, or a plain `KubeObject`. */
export type ObjectOf<R extends string> = R extends keyof StoredKinds ? StoredKinds[R] : KubeObject;

/**
 * Reads a document of a known resource as its kind. The store checked the document against the
 * kind's schema when it was written, so this names what is there rather than checking it again.
 */
export function asKind<R extends keyof StoredKinds>(_resource: R, obj: KubeObject): StoredKinds[R] {
  return obj as StoredKinds[R];
}

/** The kinds the ReplicaSet sync keeps replicas for (a ReplicationController reads as one). */
export type ReplicaSetLike = ReplicaSet | ReplicationController;

/** `asKind` for a list (the same array, named as its kind). */
export function asKinds<R extends keyof StoredKinds>(_resource: R, objs: KubeObject[]): StoredKinds[R][] {
  return objs as StoredKinds[R][];
}

/** An object whose spec is known to be there: built from a template, or a stored kind whose validation requires it. */
export type WithSpec<T extends KubeObject> = T & { spec: NonNullable<T['spec']> };
