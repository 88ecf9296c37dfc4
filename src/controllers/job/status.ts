import type { KubeObject } from '../../kube/types.ts';
import { isoTime } from '../../lib/clock.ts';
import { getCondition, upsertCondition } from '../../lib/conditions.ts';
import { isPodReady } from '../shared/pod-state.ts';
import { jobCondition } from './conditions.ts';
import type { JobEvent, JobPlan } from './decide.ts';
import { formatIndexes } from './indexes.ts';

/** What the pod writes of a plan achieved: per deleted pod's uid whether it is gone or terminating, and the pods created. */
export interface PodWrites {
  deleted: Map<string, 'gone' | 'terminating'>;
  created: KubeObject[];
}

/**
 * The Job's new status once its pod writes are done: the counts, and Complete or Failed (with
 * the event announcing it) once the Job has ended and no pod of it is left running.
 */
export function jobStatusAfter(plan: JobPlan, writes: PodWrites, nowMs: number): { status: Record<string, unknown>; events: JobEvent[] } {
  const status = structuredClone(plan.status);
  const active = [...plan.active.filter((pod) => !writes.deleted.has(pod.metadata.uid!)), ...writes.created];
  const terminating = plan.terminating + [...writes.deleted.values()].filter((state) => state === 'terminating').length;
  let conditions = plan.conditions;
  const events: JobEvent[] = [];
  const { ending } = plan;
  if (ending && active.length === 0 && terminating === 0 && !getCondition(conditions, ending.success ? 'Complete' : 'Failed')) {
    conditions = upsertCondition(conditions, jobCondition(ending.success ? 'Complete' : 'Failed', 'True', ending.reason, ending.message, nowMs));
    if (ending.success) status.completionTime = isoTime(nowMs);
    events.push(
      ending.success ? { type: 'Normal', reason: 'Completed', message: 'Job completed' } : { type: 'Warning', reason: ending.reason, message: ending.message },
    );
  }

  Object.assign(status, {
    active: active.length,
    ready: active.filter(isPodReady).length,
    succeeded: plan.succeeded,
    failed: plan.failed,
    terminating,
    uncountedTerminatedPods: {},
  });
  if (plan.completed) status.completedIndexes = formatIndexes(plan.completed);
  if (plan.failedIndexes) status.failedIndexes = formatIndexes(plan.failedIndexes);
  if (conditions.length) status.conditions = conditions;
  return { status, events };
}
