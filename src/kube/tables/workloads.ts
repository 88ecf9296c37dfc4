/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../types.ts';
import { age, ageColumn, col, containerImages, containerNames, humanDuration, mapSelectorText, nameColumn, orNone, selectorText, since, type Printer } from './format.ts';

const wideTemplate = [col('Containers', 'string', 1, 'Names of each container in the template.'), col('Images', 'string', 1, 'Images referenced by each container in the template.')];
const wideSelector = col('Selector', 'string', 1, 'Label selector for pods.');
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    col('Ready', 'string', 0, 'Number of the pod with ready state'),
    col('Up-to-date', 'integer', 0, 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'integer', 0, 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    ...wideTemplate,
    wideSelector,
  ],
  cells: (d, now) => [
    d.metadata.name,
    `${num(d.status?.readyReplicas)}/${num(d.spec?.replicas)}`,
    num(d.status?.updatedReplicas),
    num(d.status?.availableReplicas),
    age(d, now),
    containerNames(d.spec?.template?.spec),
    containerImages(d.spec?.template?.spec),
    selectorText(d.spec?.selector),
  ],
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Desired', 'integer', 0, 'Replicas is the number of desired replicas.'),
    col('Current', 'integer', 0, 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'integer', 0, 'The number of ready replicas for this replica set.'),
    ageColumn,
    ...wideTemplate,
    wideSelector,
  ],
  cells: (rs, now) => [
    rs.metadata.name,
    num(rs.spec?.replicas),
    num(rs.status?.replicas),
    num(rs.status?.readyReplicas),
    age(rs, now),
    containerNames(rs.spec?.template?.spec),
    containerImages(rs.spec?.template?.spec),
    selectorText(rs.spec?.selector),
  ],
};

export const statefulSetPrinter: Printer = {
  columns: [nameColumn, col('Ready', 'string', 0, 'Number of the pod with ready state'), ageColumn, ...wideTemplate],
  cells: (s, now) => [
    s.metadata.name,
    `${num(s.status?.readyReplicas)}/${num(s.spec?.replicas)}`,
    age(s, now),
    containerNames(s.spec?.template?.spec),
    containerImages(s.spec?.template?.spec),
  ],
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Desired', 'integer', 0, 'The total number of nodes that should be running the daemon pod.'),
    col('Current', 'integer', 0, 'The number of nodes that are running at least 1 daemon pod.'),
    col('Ready', 'integer', 0, 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    col('Up-to-date', 'integer', 0, 'The total number of nodes that are running updated daemon pod'),
    col('Available', 'integer', 0, 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
    col('Node Selector', 'string', 0, 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    ageColumn,
    ...wideTemplate,
    wideSelector,
  ],
  cells: (ds, now) => [
    ds.metadata.name,
    num(ds.status?.desiredNumberScheduled),
    num(ds.status?.currentNumberScheduled),
    num(ds.status?.numberReady),
    num(ds.status?.updatedNumberScheduled),
    num(ds.status?.numberAvailable),
    mapSelectorText(ds.spec?.template?.spec?.nodeSelector),
    age(ds, now),
    containerNames(ds.spec?.template?.spec),
    containerImages(ds.spec?.template?.spec),
    selectorText(ds.spec?.selector),
  ],
};

function hasCondition(obj: KubeObject, type: string): boolean {
  return (obj.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');
}

function jobStatus(job: KubeObject): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(job: KubeObject): string {
  const succeeded = num(job.status?.succeeded);
  if (typeof job.spec?.completions === 'number') return `${succeeded}/${job.spec.completions}`;
  const parallelism = num(job.spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: KubeObject, now: number): string {
  const start = Date.parse(job.status?.startTime ?? '');
  if (Number.isNaN(start)) return '';
  const end = Date.parse(job.status?.completionTime ?? '');
  return humanDuration((Number.isNaN(end) ? now : end) - start);
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 0, 'Status of the job.'),
    col('Completions', 'string', 0, 'The desired number of successfully finished pods the job should be run with.'),
    col('Duration', 'string', 0, 'Time required to complete the job.'),
    ageColumn,
    ...wideTemplate,
    wideSelector,
  ],
  cells: (job, now) => [
    job.metadata.name,
    jobStatus(job),
    jobCompletions(job),
    jobDuration(job, now),
    age(job, now),
    containerNames(job.spec?.template?.spec),
    containerImages(job.spec?.template?.spec),
    selectorText(job.spec?.selector),
  ],
};

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    col('Schedule', 'string', 0, 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 0, 'The time zone name for the given schedule.'),
    col('Suspend', 'boolean', 0, 'This flag tells the controller to suspend subsequent executions.'),
    col('Active', 'integer', 0, 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 0, 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    ...wideTemplate,
    wideSelector,
  ],
  cells: (cj, now) => [
    cj.metadata.name,
    cj.spec?.schedule ?? '',
    orNone(cj.spec?.timeZone),
    cj.spec?.suspend === true ? 'True' : 'False',
    (cj.status?.active ?? []).length,
    cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>',
    age(cj, now),
    containerNames(cj.spec?.jobTemplate?.spec?.template?.spec),
    containerImages(cj.spec?.jobTemplate?.spec?.template?.spec),
    selectorText(cj.spec?.jobTemplate?.spec?.selector),
  ],
};

export const controllerRevisionPrinter: Printer = {
  columns: [nameColumn, col('Controller', 'string', 0, 'Controller of the object.'), col('Revision', 'integer', 0, 'Revision indicates the revision of the state represented by Data.'), ageColumn],
  cells: (cr, now) => {
    const owner = (cr.metadata.ownerReferences ?? []).find((o) => o.controller);
    const ctl = owner ? `${owner.kind.toLowerCase()}.${owner.apiVersion.split('/')[0]}/${owner.name}` : '<none>';
    return [cr.metadata.name, ctl, num(cr.revision), age(cr, now)];
  },
};
