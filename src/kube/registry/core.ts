import type { ResourceDef } from './types.ts';
import type { FieldGetter } from '../selectors/fields.ts';
import { asKind, type Event } from '../objects.ts';
import { resource, statusSub } from './helpers.ts';
import { defaultPod } from '../defaults/pod.ts';
import {
  defaultEndpoints,
  defaultLimitRange,
  defaultNamespace,
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultSecret,
  defaultService,
} from '../defaults/core.ts';
import { validatePodSpec, validatePodSpecUpdate } from '../validation/pod.ts';
import {
  validateConfigMap,
  validateLimitRange,
  validateNamespace,
  validatePersistentVolume,
  validatePersistentVolumeClaim,
  validateResourceQuota,
  validateSecret,
  validateService,
} from '../validation/core.ts';
import { podPrinter } from '../tables/pods.ts';
import { NODE_STATUS_REPORT_INTERVAL_MS, servedNode } from './node-heartbeat-view.ts';
import {
  configMapPrinter,
  endpointsPrinter,
  eventPrinter,
  limitRangePrinter,
  namespacePrinter,
  nodePrinter,
  pvcPrinter,
  pvPrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from '../tables/core.ts';

const core = (kind: string) => ({ group: '', version: 'v1', kind });

/** Field selectors the API server accepts for pods (pod's GetAttrs). */
const podFields = {
  'spec.nodeName': (o: { spec?: { nodeName?: string } }) => o.spec?.nodeName ?? '',
  'spec.restartPolicy': (o: { spec?: { restartPolicy?: string } }) => o.spec?.restartPolicy ?? '',
  'spec.schedulerName': (o: { spec?: { schedulerName?: string } }) => o.spec?.schedulerName ?? '',
  'spec.serviceAccountName': (o: { spec?: { serviceAccountName?: string } }) => o.spec?.serviceAccountName ?? '',
  'spec.hostNetwork': (o: { spec?: { hostNetwork?: boolean } }) => String(o.spec?.hostNetwork === true),
  'status.phase': (o: { status?: { phase?: string } }) => o.status?.phase ?? '',
  'status.podIP': (o: { status?: { podIP?: string } }) => o.status?.podIP ?? '',
  'status.nominatedNodeName': (o: { status?: { nominatedNodeName?: string } }) => o.status?.nominatedNodeName ?? '',
};

/** An Event field selector: events are the only kind the getter reads. */
const eventField =
  (read: (e: Event) => string | undefined): FieldGetter =>
  (o) =>
    read(asKind('events', o));

const eventFields = {
  'involvedObject.kind': eventField((o) => o.involvedObject?.kind ?? ''),
  'involvedObject.namespace': eventField((o) => o.involvedObject?.namespace ?? ''),
  'involvedObject.name': eventField((o) => o.involvedObject?.name ?? ''),
  'involvedObject.uid': eventField((o) => o.involvedObject?.uid ?? ''),
  'involvedObject.apiVersion': eventField((o) => o.involvedObject?.apiVersion ?? ''),
  'involvedObject.resourceVersion': eventField((o) => o.involvedObject?.resourceVersion ?? ''),
  'involvedObject.fieldPath': eventField((o) => o.involvedObject?.fieldPath ?? ''),
  reason: eventField((o) => o.reason ?? ''),
  reportingComponent: eventField((o) => o.reportingComponent ?? ''),
  source: eventField((o) => o.source?.component ?? o.reportingComponent ?? ''),
  type: eventField((o) => o.type ?? ''),
};

export const coreResources: ResourceDef[] = [
  resource({
    ...core('Namespace'),
    plural: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
    nameRule: 'label',
    subresources: [statusSub(core('Namespace')), { name: 'finalize', responseKind: core('Namespace'), verbs: ['update'] }],
    defaults: defaultNamespace,
    validate: validateNamespace,
    printer: namespacePrinter,
    fieldSelectors: { 'status.phase': (o) => o.status?.phase ?? '' },
  }),
  resource({
    ...core('Node'),
    plural: 'nodes',
    singular: 'node',
    namespaced: false,
    shortNames: ['no'],
    subresources: [statusSub(core('Node'))],
    printer: nodePrinter,
    fieldSelectors: { 'spec.unschedulable': (o) => String(o.spec?.unschedulable === true) },
    readView:
      ({ now }) =>
      (node) =>
        servedNode(node, now),
    readViewPeriodMs: NODE_STATUS_REPORT_INTERVAL_MS,
  }),
  resource({
    ...core('Pod'),
    plural: 'pods',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      statusSub(core('Pod')),
      { name: 'log', responseKind: core('Pod'), verbs: ['get'] },
      { name: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
      { name: 'binding', responseKind: core('Binding'), verbs: ['create'] },
      { name: 'ephemeralcontainers', responseKind: core('Pod'), verbs: ['get', 'patch', 'update'] },
      { name: 'exec', responseKind: core('PodExecOptions'), verbs: ['create', 'get'] },
      { name: 'attach', responseKind: core('PodAttachOptions'), verbs: ['create', 'get'] },
      { name: 'portforward', responseKind: core('PodPortForwardOptions'), verbs: ['create', 'get'] },
    ],
    defaults: defaultPod,
    validate: (pod, old) => [...validatePodSpec(pod.spec, 'spec'), ...(old ? validatePodSpecUpdate(pod.spec, old.spec) : [])],
    printer: podPrinter,
    fieldSelectors: podFields,
  }),
  resource({
    ...core('Service'),
    plural: 'services',
    singular: 'service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    nameRule: 'dns1035',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [statusSub(core('Service'))],
    defaults: defaultService,
    validate: validateService,
    printer: servicePrinter,
    fieldSelectors: { 'spec.clusterIP': (o) => o.spec?.clusterIP ?? '', 'spec.type': (o) => o.spec?.type ?? '' },
  }),
  resource({
    ...core('Endpoints'),
    plural: 'endpoints',
    singular: 'endpoints',
    namespaced: true,
    shortNames: ['ep'],
    defaults: defaultEndpoints,
    printer: endpointsPrinter,
  }),
  resource({
    ...core('ConfigMap'),
    plural: 'configmaps',
    singular: 'configmap',
    namespaced: true,
    shortNames: ['cm'],
    validate: validateConfigMap,
    printer: configMapPrinter,
  }),
  resource({
    ...core('Secret'),
    plural: 'secrets',
    singular: 'secret',
    namespaced: true,
    defaults: defaultSecret,
    validate: validateSecret,
    printer: secretPrinter,
    fieldSelectors: { type: (o) => String(o.type ?? '') },
  }),
  resource({
    ...core('ServiceAccount'),
    plural: 'serviceaccounts',
    singular: 'serviceaccount',
    namespaced: true,
    shortNames: ['sa'],
    printer: serviceAccountPrinter,
    subresources: [{ name: 'token', responseKind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] }],
  }),
  resource({
    ...core('Event'),
    plural: 'events',
    singular: 'event',
    namespaced: true,
    shortNames: ['ev'],
    nameRule: 'path',
    printer: eventPrinter,
    fieldSelectors: eventFields,
  }),
  resource({
    ...core('PersistentVolume'),
    plural: 'persistentvolumes',
    singular: 'persistentvolume',
    namespaced: false,
    shortNames: ['pv'],
    subresources: [statusSub(core('PersistentVolume'))],
    defaults: defaultPersistentVolume,
    validate: validatePersistentVolume,
    printer: pvPrinter,
  }),
  resource({
    ...core('PersistentVolumeClaim'),
    plural: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    namespaced: true,
    shortNames: ['pvc'],
    subresources: [statusSub(core('PersistentVolumeClaim'))],
    defaults: defaultPersistentVolumeClaim,
    validate: validatePersistentVolumeClaim,
    printer: pvcPrinter,
  }),
  resource({
    ...core('LimitRange'),
    plural: 'limitranges',
    singular: 'limitrange',
    namespaced: true,
    shortNames: ['limits'],
    defaults: defaultLimitRange,
    validate: validateLimitRange,
    printer: limitRangePrinter,
  }),
  resource({
    ...core('ResourceQuota'),
    plural: 'resourcequotas',
    singular: 'resourcequota',
    namespaced: true,
    shortNames: ['quota'],
    subresources: [statusSub(core('ResourceQuota'))],
    validate: validateResourceQuota,
    printer: resourceQuotaPrinter,
  }),
  resource({ ...core('Binding'), plural: 'bindings', singular: 'binding', namespaced: true, verbs: ['create'], virtual: true }),
];
