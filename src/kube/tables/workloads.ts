import type { CronJob, ControllerRevision, DaemonSet, Deployment, Job, PodSpec, PodTemplate, ReplicaSet, StatefulSet } from '../objects.ts';
import type { LabelSelector } from '../selectors/labels.ts';
import type { KubeObject } from '../types.ts';
import {
  AGE,
  NAME,
  col,
  containerImages,
  containerNames,
  humanDuration,
  mapSelectorText,
  orNone,
  printer,
  selectorText,
  since,
  type ColumnSpec,
} from './format.ts';

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** The `-o wide` Containers and Images of a pod template. */
export function templateColumns<T extends KubeObject>(templateSpec: (obj: T) => PodSpec | undefined): ColumnSpec<T>[] {
  return [
    [col('Containers', 'string', 1, 'Names of each container in the template.'), (o) => containerNames(templateSpec(o))],
    [col('Images', 'string', 1, 'Images referenced by each container in the template.'), (o) => containerImages(templateSpec(o))],
  ];
}

/** The `-o wide` Selector, printed by `text`. */
export const selectorColumn = <T extends KubeObject>(text: (obj: T) => string): ColumnSpec<T> => [
  col('Selector', 'string', 1, 'Label selector for pods.'),
  text,
];

const podTemplate = (o: KubeObject<{ template?: PodTemplate }>) => o.spec?.template?.spec;
const labelSelector = selectorColumn((o: KubeObject<{ selector?: LabelSelector }>) => selectorText(o.spec?.selector));

export const deploymentPrinter = printer<Deployment>([
  NAME,
  [col('Ready', 'string', 0, 'Number of the pod with ready state'), (d) => `${num(d.status?.readyReplicas)}/${num(d.spec?.replicas)}`],
  [
    col('Up-to-date', 'integer', 0, 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    (d) => num(d.status?.updatedReplicas),
  ],
  [
    col('Available', 'integer', 0, 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    (d) => num(d.status?.availableReplicas),
  ],
  AGE,
  ...templateColumns(podTemplate),
  labelSelector,
]);

export const replicaSetPrinter = printer<ReplicaSet>([
  NAME,
  [col('Desired', 'integer', 0, 'Replicas is the number of desired replicas.'), (rs) => num(rs.spec?.replicas)],
  [col('Current', 'integer', 0, 'Replicas is the most recently observed number of replicas.'), (rs) => num(rs.status?.replicas)],
  [col('Ready', 'integer', 0, 'The number of ready replicas for this replica set.'), (rs) => num(rs.status?.readyReplicas)],
  AGE,
  ...templateColumns(podTemplate),
  labelSelector,
]);

export const statefulSetPrinter = printer<StatefulSet>([
  NAME,
  [col('Ready', 'string', 0, 'Number of the pod with ready state'), (s) => `${num(s.status?.readyReplicas)}/${num(s.spec?.replicas)}`],
  AGE,
  ...templateColumns(podTemplate),
]);

export const daemonSetPrinter = printer<DaemonSet>([
  NAME,
  [col('Desired', 'integer', 0, 'The total number of nodes that should be running the daemon pod.'), (ds) => num(ds.status?.desiredNumberScheduled)],
  [col('Current', 'integer', 0, 'The number of nodes that are running at least 1 daemon pod.'), (ds) => num(ds.status?.currentNumberScheduled)],
  [
    col('Ready', 'integer', 0, 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    (ds) => num(ds.status?.numberReady),
  ],
  [col('Up-to-date', 'integer', 0, 'The total number of nodes that are running updated daemon pod'), (ds) => num(ds.status?.updatedNumberScheduled)],
  [
    col('Available', 'integer', 0, 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
    (ds) => num(ds.status?.numberAvailable),
  ],
  [
    col('Node Selector', 'string', 0, 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    (ds) => mapSelectorText(ds.spec?.template?.spec?.nodeSelector),
  ],
  AGE,
  ...templateColumns(podTemplate),
  labelSelector,
]);

function hasCondition(obj: Job, type: string): boolean {
  return (obj.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function jobStatus(job: Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(job: Job): string {
  const succeeded = num(job.status?.succeeded);
  if (typeof job.spec?.completions === 'number') return `${succeeded}/${job.spec.completions}`;
  const parallelism = num(job.spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, now: number): string {
  const start = Date.parse(job.status?.startTime ?? '');
  if (Number.isNaN(start)) return '';
  const end = Date.parse(job.status?.completionTime ?? '');
  return humanDuration((Number.isNaN(end) ? now : end) - start);
}

export const jobPrinter = printer<Job>([
  NAME,
  [col('Status', 'string', 0, 'Status of the job.'), jobStatus],
  [col('Completions', 'string', 0, 'The desired number of successfully finished pods the job should be run with.'), jobCompletions],
  [col('Duration', 'string', 0, 'Time required to complete the job.'), jobDuration],
  AGE,
  ...templateColumns(podTemplate),
  labelSelector,
]);

export const cronJobPrinter = printer<CronJob>([
  NAME,
  [col('Schedule', 'string', 0, 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'), (cj) => cj.spec?.schedule ?? ''],
  [col('Timezone', 'string', 0, 'The time zone name for the given schedule.'), (cj) => orNone(cj.spec?.timeZone)],
  [col('Suspend', 'boolean', 0, 'This flag tells the controller to suspend subsequent executions.'), (cj) => (cj.spec?.suspend === true ? 'True' : 'False')],
  [col('Active', 'integer', 0, 'A list of pointers to currently running jobs.'), (cj) => (cj.status?.active ?? []).length],
  [
    col('Last Schedule', 'string', 0, 'Information when was the last time the job was successfully scheduled.'),
    (cj, now) => (cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>'),
  ],
  AGE,
  ...templateColumns((cj) => cj.spec?.jobTemplate?.spec?.template?.spec),
  selectorColumn((cj) => selectorText(cj.spec?.jobTemplate?.spec?.selector)),
]);

export const controllerRevisionPrinter = printer<ControllerRevision>([
  NAME,
  [col('Controller', 'string', 0, 'Controller of the object.'), controllerOf],
  [col('Revision', 'integer', 0, 'Revision indicates the revision of the state represented by Data.'), (cr) => num(cr.revision)],
  AGE,
]);

function controllerOf(cr: ControllerRevision): string {
  const owner = (cr.metadata.ownerReferences ?? []).find((o) => o.controller);
  return owner ? `${owner.kind.toLowerCase()}.${owner.apiVersion.split('/')[0]}/${owner.name}` : '<none>';
}
