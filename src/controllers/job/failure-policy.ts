import type { IPodFailurePolicy, IPodFailurePolicyOnExitCodesRequirement, IPodFailurePolicyOnPodConditionsPattern } from 'kubernetes-models/batch/v1';
import type { ContainerStatus, Pod, PodCondition } from '../../kube/objects.ts';
import type { KubeObject } from '../../kube/types.ts';

export type FailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

/** What spec.podFailurePolicy decides for one failed pod (pod_failure_policy.go matchPodFailurePolicy). */
export interface FailureVerdict {
  /** The rule's action, or undefined when no rule matched (the default: counted). */
  action?: FailurePolicyAction;
  /** Whether the failure counts against backoffLimit (false only for Ignore). */
  counts: boolean;
  /** Set when a FailJob rule matched: the message of the Job's Failed condition. */
  failJobMessage?: string;
}

const DEFAULT: FailureVerdict = { counts: true };

/** The first terminated, non-zero container status the onExitCodes requirement accepts (app containers first). */
function exitCodeMatch(pod: Pod, req: IPodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  const values: number[] = Array.isArray(req?.values) ? req.values : [];
  for (const list of [pod.status?.containerStatuses ?? [], pod.status?.initContainerStatuses ?? []]) {
    for (const cs of list) {
      const term = cs?.state?.terminated;
      // A container still running (or stopping) has no exit code to judge.
      if (!term || (req.containerName && req.containerName !== cs.name)) continue;
      const code = term.exitCode ?? 0;
      if (code === 0) continue;
      const listed = values.includes(code);
      if ((req.operator === 'In' && listed) || (req.operator === 'NotIn' && !listed)) return cs;
    }
  }
  return undefined;
}

function conditionMatch(pod: Pod, patterns: IPodFailurePolicyOnPodConditionsPattern[]): PodCondition | undefined {
  for (const c of pod.status?.conditions ?? []) {
    if (patterns.some((p) => p?.type === c.type && (p?.status ?? 'True') === c.status)) return c;
  }
  return undefined;
}

/**
 * Walks the rules in order; the first whose requirement the failed pod meets decides. Unknown
 * actions are skipped, as the API asks clients to do.
 */
export function matchPodFailurePolicy(policy: IPodFailurePolicy | undefined, pod: Pod): FailureVerdict {
  const rules = Array.isArray(policy?.rules) ? policy.rules : [];
  const where = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
  for (const [index, rule] of rules.entries()) {
    let describe: (() => string) | undefined;
    if (rule?.onExitCodes) {
      const cs = exitCodeMatch(pod, rule.onExitCodes);
      if (cs)
        describe = () =>
          `Container ${cs.name} for pod ${where} failed with exit code ${cs.state!.terminated!.exitCode} matching FailJob rule at index ${index}`;
    } else if (Array.isArray(rule?.onPodConditions)) {
      const c = conditionMatch(pod, rule.onPodConditions);
      if (c) describe = () => `Pod ${where} has condition ${c.type} matching FailJob rule at index ${index}`;
    }
    if (!describe) continue;
    switch (rule.action) {
      case 'Ignore':
        return { action: 'Ignore', counts: false };
      case 'Count':
        return { action: 'Count', counts: true };
      case 'FailIndex':
        return { action: 'FailIndex', counts: true };
      case 'FailJob':
        return { action: 'FailJob', counts: true, failJobMessage: describe() };
    }
  }
  return DEFAULT;
}

/**
 * With a pod failure policy (or podReplacementPolicy Failed) a pod counts as failed only once it
 * reached phase Failed, so its exit codes and conditions can be judged; otherwise a pod being
 * deleted before it succeeded counts as failed already (isPodFailed / onlyReplaceFailedPods).
 */
export function onlyReplaceFailedPods(job: KubeObject): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
}

export function isPodFailed(pod: KubeObject, job: KubeObject): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

/** Whether a failed pod counts against backoffLimit (it does unless an Ignore rule matched). */
export function failureCounts(job: KubeObject, pod: KubeObject): boolean {
  return !job.spec?.podFailurePolicy || matchPodFailurePolicy(job.spec.podFailurePolicy, pod).counts;
}

/** The FailJob message of the first failed pod a FailJob rule matches (getFailJobMessage). */
export function failJobMessage(job: KubeObject, pods: KubeObject[]): string | undefined {
  if (!job.spec?.podFailurePolicy) return undefined;
  for (const pod of pods) {
    if (!isPodFailed(pod, job)) continue;
    const verdict = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
    if (verdict.failJobMessage) return verdict.failJobMessage;
  }
  return undefined;
}
