import type { Catalog } from './types.ts';
import { typeMeta } from './pod.ts';

const apps = 'io.k8s.api.apps.v1';
const batch = 'io.k8s.api.batch.v1';

export const workloadTypes: Catalog = {
  Deployment: {
    pkg: apps,
    description: 'Declarative updates of pods through ReplicaSets.',
    fields: { ...typeMeta, spec: ['DeploymentSpec', 'The desired state.'], status: ['object', 'The observed state: replicas, updated, ready and available counts, conditions.'] },
  },
  DeploymentSpec: {
    pkg: apps,
    description: 'The desired state of a Deployment.',
    required: ['selector', 'template'],
    fields: {
      minReadySeconds: ['integer', 'Seconds a new pod must be ready to count as available.'],
      paused: ['boolean', 'Stops rollouts while true.'],
      progressDeadlineSeconds: ['integer', 'Seconds without progress before the rollout is reported failed. Defaults to 600.'],
      replicas: ['integer', 'Number of desired pods. Defaults to 1.'],
      revisionHistoryLimit: ['integer', 'Old ReplicaSets kept for rollback. Defaults to 10.'],
      selector: ['LabelSelector', 'Selects the pods; must match the template labels and cannot change.'],
      strategy: ['DeploymentStrategy', 'How old pods are replaced by new ones.'],
      template: ['PodTemplateSpec', 'The pods to create.'],
    },
  },
  DeploymentStrategy: {
    pkg: apps,
    description: 'How a Deployment replaces pods.',
    fields: { type: ['string', 'RollingUpdate (default) or Recreate.'], rollingUpdate: ['RollingUpdateDeployment', 'Parameters of RollingUpdate.'] },
  },
  RollingUpdateDeployment: {
    pkg: apps,
    description: 'Bounds of a rolling update.',
    fields: {
      maxSurge: ['IntOrString', 'Pods allowed above the desired count during the update (number or percent, rounded up). Defaults to 25%.'],
      maxUnavailable: ['IntOrString', 'Pods allowed to be unavailable during the update (number or percent, rounded down). Defaults to 25%.'],
    },
  },
  ReplicaSet: {
    pkg: apps,
    description: 'Keeps a number of identical pods running.',
    fields: { ...typeMeta, spec: ['ReplicaSetSpec', 'The desired state.'], status: ['object', 'The observed state.'] },
  },
  ReplicaSetSpec: {
    pkg: apps,
    description: 'The desired state of a ReplicaSet.',
    required: ['selector'],
    fields: {
      minReadySeconds: ['integer', 'Seconds a new pod must be ready to count as available.'],
      replicas: ['integer', 'Number of desired pods. Defaults to 1.'],
      selector: ['LabelSelector', 'Selects the pods.'],
      template: ['PodTemplateSpec', 'The pods to create.'],
    },
  },
  StatefulSet: {
    pkg: apps,
    description: 'Pods with stable names, ordinals and per-pod storage.',
    fields: { ...typeMeta, spec: ['StatefulSetSpec', 'The desired state.'], status: ['object', 'The observed state.'] },
  },
  StatefulSetSpec: {
    pkg: apps,
    description: 'The desired state of a StatefulSet.',
    required: ['selector', 'template'],
    fields: {
      minReadySeconds: ['integer', 'Seconds a new pod must be ready to count as available.'],
      ordinals: ['object', 'The first ordinal.'],
      persistentVolumeClaimRetentionPolicy: ['object', 'Whether claims from the templates are deleted when pods or the set go.'],
      podManagementPolicy: ['string', 'OrderedReady (default) or Parallel.'],
      replicas: ['integer', 'Number of desired pods. Defaults to 1.'],
      revisionHistoryLimit: ['integer', 'Revisions kept. Defaults to 10.'],
      selector: ['LabelSelector', 'Selects the pods.'],
      serviceName: ['string', 'The headless service giving the pods their DNS names.'],
      template: ['PodTemplateSpec', 'The pods to create.'],
      updateStrategy: ['object', 'RollingUpdate (with partition) or OnDelete.'],
      volumeClaimTemplates: ['[]PersistentVolumeClaim', 'Claims created per pod, named <template>-<set>-<ordinal>.'],
    },
  },
  DaemonSet: {
    pkg: apps,
    description: 'Runs one pod on every eligible node.',
    fields: { ...typeMeta, spec: ['DaemonSetSpec', 'The desired state.'], status: ['object', 'The observed state.'] },
  },
  DaemonSetSpec: {
    pkg: apps,
    description: 'The desired state of a DaemonSet.',
    required: ['selector', 'template'],
    fields: {
      minReadySeconds: ['integer', 'Seconds a new pod must be ready to count as available.'],
      revisionHistoryLimit: ['integer', 'Revisions kept. Defaults to 10.'],
      selector: ['LabelSelector', 'Selects the pods.'],
      template: ['PodTemplateSpec', 'The pods to create.'],
      updateStrategy: ['object', 'RollingUpdate (maxUnavailable 1 by default) or OnDelete.'],
    },
  },
  Job: {
    pkg: batch,
    description: 'Runs pods until a number of them succeed.',
    fields: { ...typeMeta, spec: ['JobSpec', 'The desired behaviour.'], status: ['object', 'Active, succeeded and failed counts, start and completion times, conditions.'] },
  },
  JobSpec: {
    pkg: batch,
    open: true,
    description: 'The desired behaviour of a Job.',
    required: ['template'],
    fields: {
      activeDeadlineSeconds: ['integer', 'Seconds the job may run before it is failed.'],
      backoffLimit: ['integer', 'Retries before the job fails. Defaults to 6.'],
      backoffLimitPerIndex: ['integer', 'Retries per index for Indexed jobs.'],
      completionMode: ['string', 'NonIndexed (default) or Indexed.'],
      completions: ['integer', 'Successful pods needed. Defaults to 1.'],
      manualSelector: ['boolean', 'Use the given selector instead of a generated one.'],
      maxFailedIndexes: ['integer', 'Failed indexes tolerated before the job fails.'],
      parallelism: ['integer', 'Pods running at once. Defaults to 1.'],
      podFailurePolicy: ['PodFailurePolicy', 'How failed pods count: rules matching exit codes or pod conditions. Needs restartPolicy Never.'],
      podReplacementPolicy: ['string', 'When replacement pods are created.'],
      selector: ['LabelSelector', 'Selects the pods; generated by default.'],
      successPolicy: ['object', 'When the job counts as succeeded.'],
      suspend: ['boolean', 'While true, no pods are created.'],
      template: ['PodTemplateSpec', 'The pods to run; restartPolicy must be OnFailure or Never.'],
      ttlSecondsAfterFinished: ['integer', 'Seconds after finishing before the job is deleted.'],
    },
  },
  PodFailurePolicy: {
    pkg: batch,
    description: 'How failed pods influence the backoffLimit.',
    required: ['rules'],
    fields: { rules: ['[]PodFailurePolicyRule', 'Evaluated in order; the first matching rule decides. At most 20.'] },
  },
  PodFailurePolicyRule: {
    pkg: batch,
    description: 'What to do with a failed pod meeting one requirement: onExitCodes or onPodConditions.',
    required: ['action'],
    fields: {
      action: ['string', 'FailJob, FailIndex (needs backoffLimitPerIndex), Ignore (not counted) or Count.'],
      onExitCodes: ['PodFailurePolicyOnExitCodesRequirement', 'Matches terminated containers by exit code.'],
      onPodConditions: ['[]PodFailurePolicyOnPodConditionsPattern', 'Matches pod conditions, e.g. DisruptionTarget. At most 20.'],
    },
  },
  PodFailurePolicyOnExitCodesRequirement: {
    pkg: batch,
    description: 'Exit codes a rule matches.',
    required: ['operator', 'values'],
    fields: {
      containerName: ['string', 'Only this container (or init container); all when unset.'],
      operator: ['string', 'In or NotIn.'],
      values: ['[]integer', 'Sorted, unique exit codes; 0 is not allowed with In. At most 255.'],
    },
  },
  PodFailurePolicyOnPodConditionsPattern: {
    pkg: batch,
    description: 'A pod condition a rule matches.',
    required: ['type'],
    fields: { status: ['string', 'True (default), False or Unknown.'], type: ['string', 'The condition type, e.g. DisruptionTarget.'] },
  },
  CronJob: {
    pkg: batch,
    description: 'Creates Jobs on a schedule.',
    fields: { ...typeMeta, spec: ['CronJobSpec', 'The schedule and the job to run.'], status: ['object', 'Active jobs and the last schedule times.'] },
  },
  CronJobSpec: {
    pkg: batch,
    description: 'The schedule of a CronJob.',
    required: ['schedule', 'jobTemplate'],
    fields: {
      concurrencyPolicy: ['string', 'Allow (default), Forbid or Replace.'],
      failedJobsHistoryLimit: ['integer', 'Failed jobs kept. Defaults to 1.'],
      jobTemplate: ['JobTemplateSpec', 'The Job to create.'],
      schedule: ['string', 'Cron expression, e.g. "*/5 * * * *".'],
      startingDeadlineSeconds: ['integer', 'Seconds after a missed time during which the job may still start.'],
      successfulJobsHistoryLimit: ['integer', 'Successful jobs kept. Defaults to 3.'],
      suspend: ['boolean', 'While true, no new jobs start.'],
      timeZone: ['string', 'IANA time zone of the schedule.'],
    },
  },
  JobTemplateSpec: {
    pkg: batch,
    description: 'The Job a CronJob creates.',
    fields: { metadata: ['ObjectMeta', 'Metadata of the created jobs.'], spec: ['JobSpec', 'Spec of the created jobs.'] },
  },
};
