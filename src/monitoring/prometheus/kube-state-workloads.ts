/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../../kube/types.ts';
import { parseQuantity } from '../../lib/quantity.ts';
import { CONDITION_VALUES, conditionValue, type FamilySet } from './families.ts';

function quantityValue(q: unknown): number {
  try {
    return parseQuantity(q as string);
  } catch {
    return Number.NaN;
  }
}

const ns = (o: KubeObject) => o.metadata.namespace ?? '';

export function deploymentFamilies(f: FamilySet, deployments: KubeObject[]): void {
  for (const d of deployments) {
    const l = { namespace: ns(d), deployment: d.metadata.name! };
    const s = d.status ?? {};
    f.add('kube_deployment_spec_replicas', 'Number of desired pods for a deployment.', l, d.spec?.replicas ?? 1);
    f.add('kube_deployment_status_replicas', 'The number of replicas per deployment.', l, s.replicas ?? 0);
    f.add('kube_deployment_status_replicas_ready', 'The number of ready replicas per deployment.', l, s.readyReplicas ?? 0);
    f.add('kube_deployment_status_replicas_available', 'The number of available replicas per deployment.', l, s.availableReplicas ?? 0);
    f.add('kube_deployment_status_replicas_unavailable', 'The number of unavailable replicas per deployment.', l, s.unavailableReplicas ?? 0);
    f.add('kube_deployment_status_replicas_updated', 'The number of updated replicas per deployment.', l, s.updatedReplicas ?? 0);
    f.add('kube_deployment_status_observed_generation', 'The generation observed by the deployment controller.', l, s.observedGeneration ?? 0);
    f.add('kube_deployment_metadata_generation', 'Sequence number representing a specific generation of the desired state.', l, d.metadata.generation ?? 0);
    f.add('kube_deployment_spec_paused', 'Whether the deployment is paused and will not be processed by the deployment controller.', l, d.spec?.paused ? 1 : 0);
    for (const c of s.conditions ?? []) {
      f.addEnum('kube_deployment_status_condition', 'The current status conditions of a deployment.', { ...l, condition: c.type, reason: c.reason ?? '' }, 'status', CONDITION_VALUES, conditionValue(c.status));
    }
  }
}

export function replicaSetFamilies(f: FamilySet, replicaSets: KubeObject[]): void {
  for (const r of replicaSets) {
    const l = { namespace: ns(r), replicaset: r.metadata.name! };
    const s = r.status ?? {};
    f.add('kube_replicaset_spec_replicas', 'Number of desired pods for a ReplicaSet.', l, r.spec?.replicas ?? 1);
    f.add('kube_replicaset_status_replicas', 'The number of replicas per ReplicaSet.', l, s.replicas ?? 0);
    f.add('kube_replicaset_status_ready_replicas', 'The number of ready replicas per ReplicaSet.', l, s.readyReplicas ?? 0);
    f.add('kube_replicaset_status_fully_labeled_replicas', 'The number of fully labeled replicas per ReplicaSet.', l, s.fullyLabeledReplicas ?? 0);
    for (const o of r.metadata.ownerReferences ?? []) {
      f.add('kube_replicaset_owner', 'Information about the ReplicaSet\'s owner.', { ...l, owner_kind: o.kind, owner_name: o.name, owner_is_controller: String(Boolean(o.controller)) }, 1);
    }
  }
}

export function statefulSetFamilies(f: FamilySet, sets: KubeObject[]): void {
  for (const o of sets) {
    const l = { namespace: ns(o), statefulset: o.metadata.name! };
    const s = o.status ?? {};
    f.add('kube_statefulset_replicas', 'Number of desired pods for a StatefulSet.', l, o.spec?.replicas ?? 1);
    f.add('kube_statefulset_status_replicas', 'The number of replicas per StatefulSet.', l, s.replicas ?? 0);
    f.add('kube_statefulset_status_replicas_ready', 'The number of ready replicas per StatefulSet.', l, s.readyReplicas ?? 0);
    f.add('kube_statefulset_status_replicas_current', 'The number of current replicas per StatefulSet.', l, s.currentReplicas ?? 0);
    f.add('kube_statefulset_status_replicas_updated', 'The number of updated replicas per StatefulSet.', l, s.updatedReplicas ?? 0);
    f.add('kube_statefulset_status_replicas_available', 'The number of available replicas per StatefulSet.', l, s.availableReplicas ?? 0);
    if (s.currentRevision) f.add('kube_statefulset_status_current_revision', 'Indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas).', { ...l, revision: s.currentRevision }, 1);
    if (s.updateRevision) f.add('kube_statefulset_status_update_revision', 'Indicates the version of the StatefulSet used to generate Pods in the sequence [replicas-updatedReplicas,replicas)', { ...l, revision: s.updateRevision }, 1);
  }
}

export function daemonSetFamilies(f: FamilySet, sets: KubeObject[]): void {
  const fields: [string, string, string][] = [
    ['kube_daemonset_status_desired_number_scheduled', 'desiredNumberScheduled', 'The number of nodes that should be running the daemon pod.'],
    ['kube_daemonset_status_current_number_scheduled', 'currentNumberScheduled', 'The number of nodes running at least one daemon pod and are supposed to.'],
    ['kube_daemonset_status_number_ready', 'numberReady', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'],
    ['kube_daemonset_status_number_available', 'numberAvailable', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available'],
    ['kube_daemonset_status_number_unavailable', 'numberUnavailable', 'The number of nodes that should be running the daemon pod and have none of the daemon pod running and available'],
    ['kube_daemonset_status_number_misscheduled', 'numberMisscheduled', 'The number of nodes running a daemon pod but are not supposed to.'],
    ['kube_daemonset_status_updated_number_scheduled', 'updatedNumberScheduled', 'The total number of nodes that are running updated daemon pod'],
  ];
  for (const o of sets) {
    const l = { namespace: ns(o), daemonset: o.metadata.name! };
    for (const [name, field, help] of fields) f.add(name, help, l, (o.status ?? {})[field] ?? 0);
  }
}

export function jobFamilies(f: FamilySet, jobs: KubeObject[]): void {
  for (const j of jobs) {
    // KSM labels Jobs `job_name`: `job` is Prometheus' own scrape label.
    const l = { namespace: ns(j), job_name: j.metadata.name! };
    const s = j.status ?? {};
    f.add('kube_job_status_active', 'The number of actively running pods.', l, s.active ?? 0);
    f.add('kube_job_status_succeeded', 'The number of pods which reached Phase Succeeded.', l, s.succeeded ?? 0);
    f.add('kube_job_status_failed', 'The number of pods which reached Phase Failed and the reason for failure.', l, s.failed ?? 0);
    if (j.spec?.completions !== undefined) f.add('kube_job_spec_completions', 'The desired number of successfully finished pods the job should be run with.', l, j.spec.completions);
    f.add('kube_job_spec_parallelism', 'The maximum desired number of pods the job should run at any given time.', l, j.spec?.parallelism ?? 1);
    const cond = (type: string) => (s.conditions ?? []).find((c: any) => c.type === type);
    const complete = cond('Complete');
    if (complete) f.addEnum('kube_job_complete', 'The job has completed its execution.', l, 'condition', CONDITION_VALUES, conditionValue(complete.status));
    const failed = cond('Failed');
    if (failed) f.addEnum('kube_job_failed', 'The job has failed its execution.', l, 'condition', CONDITION_VALUES, conditionValue(failed.status));
  }
}

export function hpaFamilies(f: FamilySet, hpas: KubeObject[]): void {
  for (const h of hpas) {
    const l = { namespace: ns(h), horizontalpodautoscaler: h.metadata.name! };
    const s = h.status ?? {};
    f.add('kube_horizontalpodautoscaler_spec_min_replicas', 'Lower limit for the number of pods that can be set by the autoscaler, default 1.', l, h.spec?.minReplicas ?? 1);
    f.add('kube_horizontalpodautoscaler_spec_max_replicas', 'Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.', l, h.spec?.maxReplicas ?? 0);
    f.add('kube_horizontalpodautoscaler_status_current_replicas', 'Current number of replicas of pods managed by this autoscaler.', l, s.currentReplicas ?? 0);
    f.add('kube_horizontalpodautoscaler_status_desired_replicas', 'Desired number of replicas of pods managed by this autoscaler.', l, s.desiredReplicas ?? 0);
    for (const m of h.spec?.metrics ?? []) {
      const src = m.resource ?? m.containerResource ?? m.pods?.metric ?? m.object?.metric ?? m.external?.metric ?? {};
      const target = m.resource?.target ?? m.containerResource?.target ?? m.pods?.target ?? m.object?.target ?? m.external?.target ?? {};
      const name = src.name ?? '';
      if (target.averageUtilization !== undefined) f.add('kube_horizontalpodautoscaler_spec_target_metric', 'The metric specifications used by this autoscaler when calculating the desired replica count.', { ...l, metric_name: name, metric_target_type: 'utilization' }, target.averageUtilization);
      if (target.averageValue !== undefined) f.add('kube_horizontalpodautoscaler_spec_target_metric', 'The metric specifications used by this autoscaler when calculating the desired replica count.', { ...l, metric_name: name, metric_target_type: 'average' }, quantityValue(target.averageValue));
    }
    for (const c of s.conditions ?? []) {
      f.addEnum('kube_horizontalpodautoscaler_status_condition', 'The condition of this autoscaler.', { ...l, condition: c.type }, 'status', CONDITION_VALUES, conditionValue(c.status));
    }
  }
}
