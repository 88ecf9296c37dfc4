import type { KubeObject } from '../../kube/types.ts';
import type { Condition } from '../object-facts.ts';
import { parseQuantity } from '../../lib/quantity.ts';
import { CONDITION_VALUES, conditionValue, type Labels } from './families.ts';
import { family, gauge, info, stateSet, type KindMetrics, type Sample } from './kube-state.ts';

function quantityValue(q: unknown): number {
  try {
    return parseQuantity(q as string);
  } catch {
    return Number.NaN;
  }
}

const ns = (o: KubeObject) => o.metadata.namespace ?? '';
const conditionOf = (o: KubeObject, type: string) => (o.status?.conditions ?? []).find((c: Condition) => c.type === type);
const status = (o: KubeObject) => o.status ?? {};

/** `owner` series per owner reference (kube_pod_owner, kube_replicaset_owner). */
export const ownerSamples = (o: KubeObject, labels: Labels): Sample[] =>
  (o.metadata.ownerReferences ?? []).map((r) => ({
    labels: { ...labels, owner_kind: r.kind, owner_name: r.name, owner_is_controller: String(Boolean(r.controller)) },
    value: 1,
  }));

/** Each condition of the object as a state set of its status. */
const conditionSamples =
  (extra: (c: Condition) => Labels, label: string) =>
  (o: KubeObject, labels: Labels): Sample[] =>
    (status(o).conditions ?? []).flatMap((c: Condition) => stateSet({ ...labels, ...extra(c) }, label, CONDITION_VALUES, conditionValue(c.status)));

/** A condition of one type as a state set, when the object has it. */
const conditionState =
  (type: string) =>
  (o: KubeObject, labels: Labels): Sample[] => {
    const c = conditionOf(o, type);
    return c ? stateSet(labels, 'condition', CONDITION_VALUES, conditionValue(c.status)) : [];
  };

export const deploymentMetrics: KindMetrics = {
  resource: 'deployments.apps',
  labels: (d) => ({ namespace: ns(d), deployment: d.metadata.name! }),
  families: [
    gauge('kube_deployment_spec_replicas', 'Number of desired pods for a deployment.', (d) => d.spec?.replicas ?? 1),
    gauge('kube_deployment_status_replicas', 'The number of replicas per deployment.', (d) => status(d).replicas ?? 0),
    gauge('kube_deployment_status_replicas_ready', 'The number of ready replicas per deployment.', (d) => status(d).readyReplicas ?? 0),
    gauge('kube_deployment_status_replicas_available', 'The number of available replicas per deployment.', (d) => status(d).availableReplicas ?? 0),
    gauge('kube_deployment_status_replicas_unavailable', 'The number of unavailable replicas per deployment.', (d) => status(d).unavailableReplicas ?? 0),
    gauge('kube_deployment_status_replicas_updated', 'The number of updated replicas per deployment.', (d) => status(d).updatedReplicas ?? 0),
    gauge('kube_deployment_status_observed_generation', 'The generation observed by the deployment controller.', (d) => status(d).observedGeneration ?? 0),
    gauge('kube_deployment_metadata_generation', 'Sequence number representing a specific generation of the desired state.', (d) => d.metadata.generation ?? 0),
    gauge('kube_deployment_spec_paused', 'Whether the deployment is paused and will not be processed by the deployment controller.', (d) =>
      d.spec?.paused ? 1 : 0,
    ),
    family(
      'kube_deployment_status_condition',
      'The current status conditions of a deployment.',
      conditionSamples((c) => ({ condition: c.type, reason: c.reason ?? '' }), 'status'),
    ),
  ],
};

export const replicaSetMetrics: KindMetrics = {
  resource: 'replicasets.apps',
  labels: (r) => ({ namespace: ns(r), replicaset: r.metadata.name! }),
  families: [
    gauge('kube_replicaset_spec_replicas', 'Number of desired pods for a ReplicaSet.', (r) => r.spec?.replicas ?? 1),
    gauge('kube_replicaset_status_replicas', 'The number of replicas per ReplicaSet.', (r) => status(r).replicas ?? 0),
    gauge('kube_replicaset_status_ready_replicas', 'The number of ready replicas per ReplicaSet.', (r) => status(r).readyReplicas ?? 0),
    gauge('kube_replicaset_status_fully_labeled_replicas', 'The number of fully labeled replicas per ReplicaSet.', (r) => status(r).fullyLabeledReplicas ?? 0),
    family('kube_replicaset_owner', "Information about the ReplicaSet's owner.", ownerSamples),
  ],
};

export const statefulSetMetrics: KindMetrics = {
  resource: 'statefulsets.apps',
  labels: (o) => ({ namespace: ns(o), statefulset: o.metadata.name! }),
  families: [
    gauge('kube_statefulset_replicas', 'Number of desired pods for a StatefulSet.', (o) => o.spec?.replicas ?? 1),
    gauge('kube_statefulset_status_replicas', 'The number of replicas per StatefulSet.', (o) => status(o).replicas ?? 0),
    gauge('kube_statefulset_status_replicas_ready', 'The number of ready replicas per StatefulSet.', (o) => status(o).readyReplicas ?? 0),
    gauge('kube_statefulset_status_replicas_current', 'The number of current replicas per StatefulSet.', (o) => status(o).currentReplicas ?? 0),
    gauge('kube_statefulset_status_replicas_updated', 'The number of updated replicas per StatefulSet.', (o) => status(o).updatedReplicas ?? 0),
    gauge('kube_statefulset_status_replicas_available', 'The number of available replicas per StatefulSet.', (o) => status(o).availableReplicas ?? 0),
    info(
      'kube_statefulset_status_current_revision',
      'Indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas).',
      (o) => (status(o).currentRevision ? { revision: status(o).currentRevision } : undefined),
    ),
    info(
      'kube_statefulset_status_update_revision',
      'Indicates the version of the StatefulSet used to generate Pods in the sequence [replicas-updatedReplicas,replicas)',
      (o) => (status(o).updateRevision ? { revision: status(o).updateRevision } : undefined),
    ),
  ],
};

const daemonSetCount = (name: string, field: string, help: string) => gauge(name, help, (o) => status(o)[field] ?? 0);

export const daemonSetMetrics: KindMetrics = {
  resource: 'daemonsets.apps',
  labels: (o) => ({ namespace: ns(o), daemonset: o.metadata.name! }),
  families: [
    daemonSetCount('kube_daemonset_status_desired_number_scheduled', 'desiredNumberScheduled', 'The number of nodes that should be running the daemon pod.'),
    daemonSetCount(
      'kube_daemonset_status_current_number_scheduled',
      'currentNumberScheduled',
      'The number of nodes running at least one daemon pod and are supposed to.',
    ),
    daemonSetCount(
      'kube_daemonset_status_number_ready',
      'numberReady',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
    ),
    daemonSetCount(
      'kube_daemonset_status_number_available',
      'numberAvailable',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available',
    ),
    daemonSetCount(
      'kube_daemonset_status_number_unavailable',
      'numberUnavailable',
      'The number of nodes that should be running the daemon pod and have none of the daemon pod running and available',
    ),
    daemonSetCount('kube_daemonset_status_number_misscheduled', 'numberMisscheduled', 'The number of nodes running a daemon pod but are not supposed to.'),
    daemonSetCount('kube_daemonset_status_updated_number_scheduled', 'updatedNumberScheduled', 'The total number of nodes that are running updated daemon pod'),
  ],
};

export const jobMetrics: KindMetrics = {
  resource: 'jobs.batch',
  // KSM labels Jobs `job_name`: `job` is Prometheus' own scrape label.
  labels: (j) => ({ namespace: ns(j), job_name: j.metadata.name! }),
  families: [
    gauge('kube_job_status_active', 'The number of actively running pods.', (j) => status(j).active ?? 0),
    gauge('kube_job_status_succeeded', 'The number of pods which reached Phase Succeeded.', (j) => status(j).succeeded ?? 0),
    gauge('kube_job_status_failed', 'The number of pods which reached Phase Failed and the reason for failure.', (j) => status(j).failed ?? 0),
    gauge('kube_job_spec_completions', 'The desired number of successfully finished pods the job should be run with.', (j) => j.spec?.completions),
    gauge('kube_job_spec_parallelism', 'The maximum desired number of pods the job should run at any given time.', (j) => j.spec?.parallelism ?? 1),
    family('kube_job_complete', 'The job has completed its execution.', conditionState('Complete')),
    family('kube_job_failed', 'The job has failed its execution.', conditionState('Failed')),
  ],
};

/** The target of each metric of an HPA with a utilization or an average value. */
function hpaTargetSamples(h: KubeObject, labels: Labels): Sample[] {
  const out: Sample[] = [];
  for (const m of h.spec?.metrics ?? []) {
    const src = m.resource ?? m.containerResource ?? m.pods?.metric ?? m.object?.metric ?? m.external?.metric ?? {};
    const target = m.resource?.target ?? m.containerResource?.target ?? m.pods?.target ?? m.object?.target ?? m.external?.target ?? {};
    const name = src.name ?? '';
    if (target.averageUtilization !== undefined)
      out.push({ labels: { ...labels, metric_name: name, metric_target_type: 'utilization' }, value: target.averageUtilization });
    if (target.averageValue !== undefined)
      out.push({ labels: { ...labels, metric_name: name, metric_target_type: 'average' }, value: quantityValue(target.averageValue) });
  }
  return out;
}

export const hpaMetrics: KindMetrics = {
  resource: 'horizontalpodautoscalers.autoscaling',
  labels: (h) => ({ namespace: ns(h), horizontalpodautoscaler: h.metadata.name! }),
  families: [
    gauge(
      'kube_horizontalpodautoscaler_spec_min_replicas',
      'Lower limit for the number of pods that can be set by the autoscaler, default 1.',
      (h) => h.spec?.minReplicas ?? 1,
    ),
    gauge(
      'kube_horizontalpodautoscaler_spec_max_replicas',
      'Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.',
      (h) => h.spec?.maxReplicas ?? 0,
    ),
    gauge(
      'kube_horizontalpodautoscaler_status_current_replicas',
      'Current number of replicas of pods managed by this autoscaler.',
      (h) => status(h).currentReplicas ?? 0,
    ),
    gauge(
      'kube_horizontalpodautoscaler_status_desired_replicas',
      'Desired number of replicas of pods managed by this autoscaler.',
      (h) => status(h).desiredReplicas ?? 0,
    ),
    family(
      'kube_horizontalpodautoscaler_spec_target_metric',
      'The metric specifications used by this autoscaler when calculating the desired replica count.',
      hpaTargetSamples,
    ),
    family(
      'kube_horizontalpodautoscaler_status_condition',
      'The condition of this autoscaler.',
      conditionSamples((c) => ({ condition: c.type }), 'status'),
    ),
  ],
};
