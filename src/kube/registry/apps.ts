import type { ResourceDef } from './types.ts';
import { resource, scaleSub, specSelectorScale, statusSub } from './helpers.ts';
import { defaultCronJob, defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultStatefulSet } from '../defaults/workloads.ts';
import { validateCronJob, validateDaemonSet, validateDeployment, validateJob, validateReplicaSet, validateStatefulSet } from '../validation/workloads.ts';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from '../tables/workloads.ts';

const apps = (kind: string) => ({ group: 'apps', version: 'v1', kind });
const batch = (kind: string) => ({ group: 'batch', version: 'v1', kind });

export const appsResources: ResourceDef[] = [
  resource({
    ...apps('Deployment'),
    plural: 'deployments',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [scaleSub, statusSub(apps('Deployment'))],
    defaults: defaultDeployment,
    validate: validateDeployment,
    printer: deploymentPrinter,
    scale: specSelectorScale,
  }),
  resource({
    ...apps('ReplicaSet'),
    plural: 'replicasets',
    singular: 'replicaset',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [scaleSub, statusSub(apps('ReplicaSet'))],
    defaults: defaultReplicaSet,
    validate: validateReplicaSet,
    printer: replicaSetPrinter,
    scale: specSelectorScale,
    fieldSelectors: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  }),
  resource({
    ...apps('StatefulSet'),
    plural: 'statefulsets',
    singular: 'statefulset',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    subresources: [scaleSub, statusSub(apps('StatefulSet'))],
    defaults: defaultStatefulSet,
    validate: validateStatefulSet,
    printer: statefulSetPrinter,
    scale: specSelectorScale,
  }),
  resource({
    ...apps('DaemonSet'),
    plural: 'daemonsets',
    singular: 'daemonset',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    subresources: [statusSub(apps('DaemonSet'))],
    defaults: defaultDaemonSet,
    validate: validateDaemonSet,
    printer: daemonSetPrinter,
  }),
  resource({
    ...apps('ControllerRevision'),
    plural: 'controllerrevisions',
    singular: 'controllerrevision',
    namespaced: true,
    printer: controllerRevisionPrinter,
    statusFields: [],
  }),
];

export const batchResources: ResourceDef[] = [
  resource({
    ...batch('Job'),
    plural: 'jobs',
    singular: 'job',
    namespaced: true,
    categories: ['all'],
    subresources: [statusSub(batch('Job'))],
    defaults: defaultJob,
    validate: validateJob,
    printer: jobPrinter,
    needsUidBeforeCreate: true,
    fieldSelectors: { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
  }),
  resource({
    ...batch('CronJob'),
    plural: 'cronjobs',
    singular: 'cronjob',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    subresources: [statusSub(batch('CronJob'))],
    defaults: defaultCronJob,
    validate: validateCronJob,
    printer: cronJobPrinter,
  }),
];
