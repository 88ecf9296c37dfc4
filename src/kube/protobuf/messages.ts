/**
 * The few Kubernetes protobuf messages kubectl's typed clients send (`kubectl create
 * deployment|configmap|secret|namespace|service|job|cronjob|quota|pdb|priorityclass|serviceaccount|role|
 * clusterrole|rolebinding|clusterrolebinding|token|ingress` and `kubectl autoscale`), with the field numbers of Kubernetes' generated.proto files.
 * Fields not listed are skipped.
 */
export type Scalar = 'string' | 'int32' | 'int64' | 'bool' | 'bytes' | 'double';
export type FieldType = Scalar | { msg: string } | { map: Scalar | { msg: string } };

export interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** Pointer fields in Go: an explicit 0/false is meaningful and must survive decoding. */
  keepZero?: boolean;
}

type Fields = Record<number, FieldSpec>;

const s = (name: string): FieldSpec => ({ name, type: 'string' });
const i32 = (name: string, keepZero = false): FieldSpec => ({ name, type: 'int32', keepZero });
const i64 = (name: string, keepZero = false): FieldSpec => ({ name, type: 'int64', keepZero });
const b = (name: string, keepZero = false): FieldSpec => ({ name, type: 'bool', keepZero });
const m = (name: string, msg: string, repeated = false): FieldSpec => ({ name, type: { msg }, repeated });
const strs = (name: string): FieldSpec => ({ name, type: 'string', repeated: true });
const smap = (name: string): FieldSpec => ({ name, type: { map: 'string' } });
const qmap = (name: string): FieldSpec => ({ name, type: { map: { msg: 'Quantity' } } });

export const MESSAGES: Record<string, Fields> = {
  // k8s.io/apimachinery/pkg/runtime
  Unknown: { 1: m('typeMeta', 'TypeMeta'), 2: { name: 'raw', type: 'bytes' }, 3: s('contentEncoding'), 4: s('contentType') },
  TypeMeta: { 1: s('apiVersion'), 2: s('kind') },
  // k8s.io/apimachinery/pkg/apis/meta/v1
  ObjectMeta: {
    1: s('name'),
    2: s('generateName'),
    3: s('namespace'),
    5: s('uid'),
    6: s('resourceVersion'),
    7: i64('generation'),
    8: m('creationTimestamp', 'Time'),
    9: m('deletionTimestamp', 'Time'),
    10: i64('deletionGracePeriodSeconds', true),
    11: smap('labels'),
    12: smap('annotations'),
    13: m('ownerReferences', 'OwnerReference', true),
    14: strs('finalizers'),
  },
  OwnerReference: { 1: s('kind'), 3: s('name'), 4: s('uid'), 5: s('apiVersion'), 6: b('controller', true), 7: b('blockOwnerDeletion', true) },
  LabelSelector: { 1: smap('matchLabels'), 2: m('matchExpressions', 'LabelSelectorRequirement', true) },
  LabelSelectorRequirement: { 1: s('key'), 2: s('operator'), 3: strs('values') },
  Time: { 1: i64('seconds'), 2: i32('nanos') },
  // k8s.io/apimachinery/pkg/api/resource and util/intstr
  Quantity: { 1: s('string') },
  IntOrString: { 1: i64('type'), 2: i32('intVal'), 3: s('strVal') },
  // k8s.io/api/core/v1
  PodTemplateSpec: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodSpec') },
  PodSpec: {
    2: m('containers', 'Container', true),
    3: s('restartPolicy'),
    4: i64('terminationGracePeriodSeconds', true),
    5: i64('activeDeadlineSeconds', true),
    6: s('dnsPolicy'),
    7: smap('nodeSelector'),
    8: s('serviceAccountName'),
    9: s('serviceAccount'),
    10: s('nodeName'),
    11: b('hostNetwork'),
    14: m('securityContext', 'Empty'),
    15: m('imagePullSecrets', 'LocalObjectReference', true),
    16: s('hostname'),
    17: s('subdomain'),
    19: s('schedulerName'),
    20: m('initContainers', 'Container', true),
    24: s('priorityClassName'),
    25: i32('priority', true),
    29: s('runtimeClassName'),
    30: b('enableServiceLinks', true),
    31: s('preemptionPolicy'),
  },
  Container: {
    1: s('name'),
    2: s('image'),
    3: strs('command'),
    4: strs('args'),
    5: s('workingDir'),
    6: m('ports', 'ContainerPort', true),
    7: m('env', 'EnvVar', true),
    8: m('resources', 'ResourceRequirements'),
    13: s('terminationMessagePath'),
    14: s('imagePullPolicy'),
    16: b('stdin'),
    17: b('stdinOnce'),
    18: b('tty'),
    20: s('terminationMessagePolicy'),
  },
  ContainerPort: { 1: s('name'), 2: i32('hostPort'), 3: i32('containerPort'), 4: s('protocol'), 5: s('hostIP') },
  EnvVar: { 1: s('name'), 2: s('value') },
  ResourceRequirements: { 1: qmap('limits'), 2: qmap('requests') },
  LocalObjectReference: { 1: s('name') },
  ObjectReference: { 1: s('kind'), 2: s('namespace'), 3: s('name'), 4: s('uid'), 5: s('apiVersion'), 6: s('resourceVersion'), 7: s('fieldPath') },
  Empty: {},
  ConfigMap: { 1: m('metadata', 'ObjectMeta'), 2: smap('data'), 3: { name: 'binaryData', type: { map: 'bytes' } }, 4: b('immutable', true) },
  Secret: { 1: m('metadata', 'ObjectMeta'), 2: { name: 'data', type: { map: 'bytes' } }, 3: s('type'), 4: smap('stringData'), 5: b('immutable', true) },
  Namespace: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'NamespaceSpec'), 3: m('status', 'Empty') },
  NamespaceSpec: { 1: strs('finalizers') },
  ServiceAccount: {
    1: m('metadata', 'ObjectMeta'),
    2: m('secrets', 'ObjectReference', true),
    3: m('imagePullSecrets', 'LocalObjectReference', true),
    4: b('automountServiceAccountToken', true),
  },
  Service: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'ServiceSpec'), 3: m('status', 'Empty') },
  ServiceSpec: {
    1: m('ports', 'ServicePort', true),
    2: smap('selector'),
    3: s('clusterIP'),
    4: s('type'),
    5: strs('externalIPs'),
    7: s('sessionAffinity'),
    8: s('loadBalancerIP'),
    10: s('externalName'),
    11: s('externalTrafficPolicy'),
    13: b('publishNotReadyAddresses'),
    18: strs('clusterIPs'),
  },
  ServicePort: { 1: s('name'), 2: s('protocol'), 3: i32('port'), 4: m('targetPort', 'IntOrString'), 5: i32('nodePort'), 6: s('appProtocol') },
  ResourceQuota: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'ResourceQuotaSpec'), 3: m('status', 'Empty') },
  ResourceQuotaSpec: { 1: qmap('hard'), 2: strs('scopes') },
  // k8s.io/api/apps/v1
  Deployment: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'DeploymentSpec'), 3: m('status', 'Empty') },
  DeploymentSpec: {
    1: i32('replicas', true),
    2: m('selector', 'LabelSelector'),
    3: m('template', 'PodTemplateSpec'),
    4: m('strategy', 'DeploymentStrategy'),
    5: i32('minReadySeconds'),
    6: i32('revisionHistoryLimit', true),
    7: b('paused'),
    9: i32('progressDeadlineSeconds', true),
  },
  DeploymentStrategy: { 1: s('type'), 2: m('rollingUpdate', 'RollingUpdateDeployment') },
  RollingUpdateDeployment: { 1: m('maxUnavailable', 'IntOrString'), 2: m('maxSurge', 'IntOrString') },
  // k8s.io/api/batch/v1
  Job: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'JobSpec'), 3: m('status', 'Empty') },
  JobSpec: {
    1: i32('parallelism', true),
    2: i32('completions', true),
    3: i64('activeDeadlineSeconds', true),
    4: m('selector', 'LabelSelector'),
    5: b('manualSelector', true),
    6: m('template', 'PodTemplateSpec'),
    7: i32('backoffLimit', true),
    8: i32('ttlSecondsAfterFinished', true),
    9: s('completionMode'),
    10: b('suspend', true),
  },
  CronJob: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'CronJobSpec'), 3: m('status', 'Empty') },
  CronJobSpec: {
    1: s('schedule'),
    2: i64('startingDeadlineSeconds', true),
    3: s('concurrencyPolicy'),
    4: b('suspend', true),
    5: m('jobTemplate', 'JobTemplateSpec'),
    6: i32('successfulJobsHistoryLimit', true),
    7: i32('failedJobsHistoryLimit', true),
    8: s('timeZone'),
  },
  JobTemplateSpec: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'JobSpec') },
  // k8s.io/api/autoscaling/v1
  HorizontalPodAutoscaler: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'HorizontalPodAutoscalerSpec'), 3: m('status', 'Empty') },
  HorizontalPodAutoscalerSpec: {
    1: m('scaleTargetRef', 'CrossVersionObjectReference'),
    2: i32('minReplicas', true),
    3: i32('maxReplicas', true),
    4: i32('targetCPUUtilizationPercentage', true),
  },
  CrossVersionObjectReference: { 1: s('kind'), 2: s('name'), 3: s('apiVersion') },
  // k8s.io/api/policy/v1
  PodDisruptionBudget: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodDisruptionBudgetSpec'), 3: m('status', 'Empty') },
  PodDisruptionBudgetSpec: {
    1: m('minAvailable', 'IntOrString'),
    2: m('selector', 'LabelSelector'),
    3: m('maxUnavailable', 'IntOrString'),
    4: s('unhealthyPodEvictionPolicy'),
  },
  // k8s.io/api/authorization/v1 and authentication/v1 (kubectl auth can-i / whoami)
  SelfSubjectAccessReview: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'SelfSubjectAccessReviewSpec') },
  SelfSubjectAccessReviewSpec: { 1: m('resourceAttributes', 'ResourceAttributes'), 2: m('nonResourceAttributes', 'NonResourceAttributes') },
  ResourceAttributes: { 1: s('namespace'), 2: s('verb'), 3: s('group'), 4: s('version'), 5: s('resource'), 6: s('subresource'), 7: s('name') },
  NonResourceAttributes: { 1: s('path'), 2: s('verb') },
  SelfSubjectRulesReview: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'SelfSubjectRulesReviewSpec') },
  SelfSubjectRulesReviewSpec: { 1: s('namespace') },
  SelfSubjectReview: { 1: m('metadata', 'ObjectMeta') },
  SubjectAccessReview: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'SubjectAccessReviewSpec') },
  SubjectAccessReviewSpec: {
    1: m('resourceAttributes', 'ResourceAttributes'),
    2: m('nonResourceAttributes', 'NonResourceAttributes'),
    3: s('user'),
    4: strs('groups'),
    6: s('uid'),
  },
  TokenRequest: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'TokenRequestSpec') },
  TokenRequestSpec: { 1: strs('audiences'), 4: i64('expirationSeconds', true), 3: m('boundObjectRef', 'BoundObjectReference') },
  BoundObjectReference: { 1: s('kind'), 2: s('apiVersion'), 3: s('name'), 4: s('uid') },
  // k8s.io/api/rbac/v1 (kubectl create role|clusterrole|rolebinding|clusterrolebinding)
  Role: { 1: m('metadata', 'ObjectMeta'), 2: m('rules', 'PolicyRule', true) },
  ClusterRole: { 1: m('metadata', 'ObjectMeta'), 2: m('rules', 'PolicyRule', true), 3: m('aggregationRule', 'AggregationRule') },
  PolicyRule: { 1: strs('verbs'), 2: strs('apiGroups'), 3: strs('resources'), 4: strs('resourceNames'), 5: strs('nonResourceURLs') },
  AggregationRule: { 1: m('clusterRoleSelectors', 'LabelSelector', true) },
  RoleBinding: { 1: m('metadata', 'ObjectMeta'), 2: m('subjects', 'RbacSubject', true), 3: m('roleRef', 'RoleRef') },
  RbacSubject: { 1: s('kind'), 2: s('apiGroup'), 3: s('name'), 4: s('namespace') },
  RoleRef: { 1: s('apiGroup'), 2: s('kind'), 3: s('name') },
  // k8s.io/api/networking/v1 (kubectl create ingress)
  Ingress: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'IngressSpec'), 3: m('status', 'Empty') },
  IngressSpec: { 1: m('defaultBackend', 'IngressBackend'), 2: m('tls', 'IngressTLS', true), 3: m('rules', 'IngressRule', true), 4: s('ingressClassName') },
  IngressBackend: { 3: m('resource', 'TypedLocalObjectReference'), 4: m('service', 'IngressServiceBackend') },
  IngressServiceBackend: { 1: s('name'), 2: m('port', 'ServiceBackendPort') },
  ServiceBackendPort: { 1: s('name'), 2: i32('number') },
  IngressTLS: { 1: strs('hosts'), 2: s('secretName') },
  IngressRule: { 1: s('host'), 2: m('ingressRuleValue', 'IngressRuleValue') },
  IngressRuleValue: { 1: m('http', 'HTTPIngressRuleValue') },
  HTTPIngressRuleValue: { 1: m('paths', 'HTTPIngressPath', true) },
  HTTPIngressPath: { 1: s('path'), 2: m('backend', 'IngressBackend'), 3: s('pathType') },
  TypedLocalObjectReference: { 1: s('apiGroup'), 2: s('kind'), 3: s('name') },
  // k8s.io/api/scheduling/v1
  PriorityClass: { 1: m('metadata', 'ObjectMeta'), 2: i32('value', true), 3: b('globalDefault'), 4: s('description'), 5: s('preemptionPolicy') },
};

/** Root message per `apiVersion/kind` of the envelope. */
export const ROOTS: Record<string, string> = {
  'apps/v1/Deployment': 'Deployment',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/Namespace': 'Namespace',
  'v1/Service': 'Service',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/ResourceQuota': 'ResourceQuota',
  'batch/v1/Job': 'Job',
  'batch/v1/CronJob': 'CronJob',
  'autoscaling/v1/HorizontalPodAutoscaler': 'HorizontalPodAutoscaler',
  'policy/v1/PodDisruptionBudget': 'PodDisruptionBudget',
  'scheduling.k8s.io/v1/PriorityClass': 'PriorityClass',
  'networking.k8s.io/v1/Ingress': 'Ingress',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'SelfSubjectRulesReview',
  'authentication.k8s.io/v1/SelfSubjectReview': 'SelfSubjectReview',
  'authorization.k8s.io/v1/SubjectAccessReview': 'SubjectAccessReview',
  'authorization.k8s.io/v1/LocalSubjectAccessReview': 'SubjectAccessReview',
  'authentication.k8s.io/v1/TokenRequest': 'TokenRequest',
  'rbac.authorization.k8s.io/v1/Role': 'Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'RoleBinding',
};
