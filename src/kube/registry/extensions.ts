import type { ResourceDef } from './types.ts';
import { resource, statusSub } from './helpers.ts';
import { defaultEndpointSlice } from '../defaults/core.ts';
import { defaultHpaV2, defaultPriorityClass, defaultStorageClass, defaultVpa } from '../defaults/misc.ts';
import { validateHpa, validatePdb } from '../validation/autoscaling.ts';
import { validateStorageClass } from '../validation/core.ts';
import { hpaV1ToV2, hpaV2ToV1 } from '../conversion/hpa.ts';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from '../conversion/events.ts';
import { eventPrinter } from '../tables/core.ts';
import { LEASE_RENEW_INTERVAL_MS, nodeLeaseView } from './node-heartbeat-view.ts';
import {
  endpointSlicePrinter,
  hpaPrinter,
  leasePrinter,
  pdbPrinter,
  priorityClassPrinter,
  runtimeClassPrinter,
  storageClassPrinter,
  vpaPrinter,
} from '../tables/other.ts';

const hpaCommon = {
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  storage: 'horizontalpodautoscalers.autoscaling',
  defaults: defaultHpaV2,
  validate: validateHpa,
  printer: hpaPrinter,
};

/** autoscaling lists v2 first: the first version is the preferred one, so `kubectl get hpa` reads v2. */
export const autoscalingResources: ResourceDef[] = [
  resource({
    ...hpaCommon,
    group: 'autoscaling',
    version: 'v2',
    subresources: [statusSub({ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' })],
  }),
  resource({
    ...hpaCommon,
    group: 'autoscaling',
    version: 'v1',
    subresources: [statusSub({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' })],
    convert: { toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 },
  }),
  resource({
    group: 'autoscaling.k8s.io',
    version: 'v1',
    kind: 'VerticalPodAutoscaler',
    plural: 'verticalpodautoscalers',
    singular: 'verticalpodautoscaler',
    namespaced: true,
    shortNames: ['vpa'],
    subresources: [statusSub({ group: 'autoscaling.k8s.io', version: 'v1', kind: 'VerticalPodAutoscaler' })],
    defaults: defaultVpa,
    printer: vpaPrinter,
  }),
];

export const otherResources: ResourceDef[] = [
  resource({
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    namespaced: true,
    shortNames: ['pdb'],
    subresources: [statusSub({ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' })],
    validate: validatePdb,
    printer: pdbPrinter,
  }),
  resource({
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    plural: 'endpointslices',
    singular: 'endpointslice',
    namespaced: true,
    defaults: defaultEndpointSlice,
    printer: endpointSlicePrinter,
    statusFields: [],
  }),
  resource({
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    singular: 'event',
    namespaced: true,
    shortNames: ['ev'],
    nameRule: 'path',
    storage: 'events',
    printer: eventPrinter,
    convert: { toStorage: eventsV1ToCoreEvent, fromStorage: coreEventToEventsV1 },
    statusFields: [],
  }),
  resource({
    group: 'storage.k8s.io',
    version: 'v1',
    kind: 'StorageClass',
    plural: 'storageclasses',
    singular: 'storageclass',
    namespaced: false,
    shortNames: ['sc'],
    defaults: defaultStorageClass,
    validate: validateStorageClass,
    printer: storageClassPrinter,
    statusFields: [],
  }),
  resource({
    group: 'node.k8s.io',
    version: 'v1',
    kind: 'RuntimeClass',
    plural: 'runtimeclasses',
    singular: 'runtimeclass',
    namespaced: false,
    printer: runtimeClassPrinter,
    statusFields: [],
  }),
  resource({
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    plural: 'leases',
    singular: 'lease',
    namespaced: true,
    printer: leasePrinter,
    statusFields: [],
    readView: nodeLeaseView,
    readViewPeriodMs: LEASE_RENEW_INTERVAL_MS,
  }),
  resource({
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    plural: 'priorityclasses',
    singular: 'priorityclass',
    namespaced: false,
    shortNames: ['pc'],
    defaults: defaultPriorityClass,
    printer: priorityClassPrinter,
    statusFields: [],
  }),
];

/** Create-only reviews answered from the caller's token, never stored. */
export const reviewResources: ResourceDef[] = [
  resource({
    group: 'authorization.k8s.io',
    version: 'v1',
    kind: 'SelfSubjectAccessReview',
    plural: 'selfsubjectaccessreviews',
    singular: 'selfsubjectaccessreview',
    namespaced: false,
    verbs: ['create'],
    virtual: true,
  }),
  resource({
    group: 'authorization.k8s.io',
    version: 'v1',
    kind: 'SelfSubjectRulesReview',
    plural: 'selfsubjectrulesreviews',
    singular: 'selfsubjectrulesreview',
    namespaced: false,
    verbs: ['create'],
    virtual: true,
  }),
  resource({
    group: 'authorization.k8s.io',
    version: 'v1',
    kind: 'SubjectAccessReview',
    plural: 'subjectaccessreviews',
    singular: 'subjectaccessreview',
    namespaced: false,
    verbs: ['create'],
    virtual: true,
  }),
  resource({
    group: 'authorization.k8s.io',
    version: 'v1',
    kind: 'LocalSubjectAccessReview',
    plural: 'localsubjectaccessreviews',
    singular: 'localsubjectaccessreview',
    namespaced: true,
    verbs: ['create'],
    virtual: true,
  }),
  resource({
    group: 'authentication.k8s.io',
    version: 'v1',
    kind: 'SelfSubjectReview',
    plural: 'selfsubjectreviews',
    singular: 'selfsubjectreview',
    namespaced: false,
    verbs: ['create'],
    virtual: true,
  }),
];
