import { isoTime } from '../lib/clock.ts';
import { replaceCondition } from '../lib/conditions.ts';
import type { Pod, PodCondition, PodStatus } from '../kube/objects.ts';

/** A pod condition as the kubelet writes it: Go's zero lastProbeTime is JSON null. */
type KubeletCondition = Omit<PodCondition, 'lastProbeTime'> & { lastProbeTime?: string | null };
interface ConditionHolder {
  conditions?: KubeletCondition[];
}

/** Sets a pod condition, moving lastTransitionTime only when its status changes (as the kubelet does). */
export function setCondition(status: ConditionHolder, type: string, value: 'True' | 'False' | 'Unknown', at: number, reason?: string, message?: string): void {
  const next: KubeletCondition = { type, status: value, lastProbeTime: null, lastTransitionTime: isoTime(at) };
  if (reason) next.reason = reason;
  if (message) next.message = message;
  status.conditions = replaceCondition(status.conditions, next);
}

export function conditionStatus(status: ConditionHolder | undefined, type: string): string | undefined {
  return status?.conditions?.find((c) => c.type === type)?.status;
}

/** Kubernetes lists pod conditions in this order. */
const ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled', 'DisruptionTarget'];

export function sortConditions(status: ConditionHolder): void {
  status.conditions?.sort((a, b) => rank(a.type) - rank(b.type));
}

function rank(type: string): number {
  const i = ORDER.indexOf(type);
  return i < 0 ? ORDER.length : i;
}

/** Init containers are done when each ran to exit 0, or (for sidecars) has started. */
export function initDone(pod: Pod): { done: boolean; incomplete: string[] } {
  const incomplete: string[] = [];
  for (const c of pod.spec?.initContainers ?? []) {
    const s = pod.status?.initContainerStatuses?.find((x) => x.name === c.name);
    const ok = c.restartPolicy === 'Always' ? s?.started === true : s?.state?.terminated?.exitCode === 0;
    if (!ok) incomplete.push(c.name);
  }
  return { done: incomplete.length === 0, incomplete };
}

/**
 * Pod phase from container states, the kubelet's getPhase: waiting containers keep it Pending;
 * a crashed container waiting to restart counts as stopped, so the pod stays Running.
 */
export function podPhase(pod: Pod): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const initStatuses = pod.status?.initContainerStatuses ?? [];
  for (const c of pod.spec?.initContainers ?? []) {
    const s = initStatuses.find((x) => x.name === c.name);
    const t = s?.state?.terminated;
    if (c.restartPolicy !== 'Always' && t && t.exitCode !== 0 && policy === 'Never') return 'Failed';
  }
  if (!initDone(pod).done) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of pod.spec?.containers ?? []) {
    const s = pod.status?.containerStatuses?.find((x) => x.name === c.name);
    if (s?.state?.running) running++;
    else if (s?.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s?.state?.waiting && s.lastState?.terminated) {
      stopped++;
    } else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** Recomputes Initialized, ContainersReady and Ready from the container statuses. */
export function refreshReadiness(pod: Pod & { status: PodStatus }, at: number): void {
  const status = pod.status;
  const phase = status.phase;
  const init = initDone(pod);
  if (init.done) setCondition(status, 'Initialized', 'True', at);
  else setCondition(status, 'Initialized', 'False', at, 'ContainersNotInitialized', `containers with incomplete status: [${init.incomplete.join(' ')}]`);

  if (phase === 'Succeeded' || phase === 'Failed') {
    setCondition(status, 'ContainersReady', 'False', at, 'PodCompleted');
    setCondition(status, 'Ready', 'False', at, 'PodCompleted');
    return;
  }
  const unready = (pod.spec?.containers ?? []).filter((c) => !status.containerStatuses?.find((s) => s.name === c.name)?.ready).map((c) => c.name);
  const gates = (pod.spec?.readinessGates ?? []).map((g) => g.conditionType);
  const failedGates = gates.filter((g: string) => conditionStatus(status, g) !== 'True');
  if (unready.length === 0) setCondition(status, 'ContainersReady', 'True', at);
  else setCondition(status, 'ContainersReady', 'False', at, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`);
  if (unready.length === 0 && failedGates.length === 0) setCondition(status, 'Ready', 'True', at);
  else if (unready.length > 0) setCondition(status, 'Ready', 'False', at, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`);
  else
    setCondition(status, 'Ready', 'False', at, 'ReadinessGatesNotReady', `corresponding condition of pod readiness gate "${failedGates[0]}" does not exist.`);
  sortConditions(status);
}
