import type { Pod, PodStatus } from '../objects.ts';
import { AGE, NAME, col, humanDuration, orNone, printer } from './format.ts';

/** The STATUS column of `kubectl get pods`, derived like kubectl's printPod. */
export function podStatusText(pod: Pod): string {
  const status: PodStatus = pod.status ?? {};
  let reason: string = status.reason || status.phase || 'Pending';
  const initStatuses = status.initContainerStatuses ?? [];
  const initTotal = (pod.spec?.initContainers ?? []).length;
  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const s = initStatuses[i];
    const term = s.state?.terminated;
    const wait = s.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (s.started && isRestartableInit(pod, s.name)) continue;
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (wait?.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${initTotal}`;
    }
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const s = statuses[i];
      const wait = s.state?.waiting;
      const term = s.state?.terminated;
      if (wait?.reason) reason = wait.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (s.ready && s.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && !terminal) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function isRestartableInit(pod: Pod, name: string): boolean {
  return (pod.spec?.initContainers ?? []).some((c) => c.name === name && c.restartPolicy === 'Always');
}

function restarts(pod: Pod, nowMs: number): string {
  let total = 0;
  let last = 0;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    total += s.restartCount ?? 0;
    const finished = Date.parse(s.lastState?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(finished) && finished > last) last = finished;
  }
  return total > 0 && last > 0 ? `${total} (${humanDuration(nowMs - last)} ago)` : String(total);
}

function ready(pod: Pod): string {
  const total = (pod.spec?.containers ?? []).length;
  const readyCount = (pod.status?.containerStatuses ?? []).filter((s) => s.ready).length;
  return `${readyCount}/${total}`;
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conds = pod.status?.conditions ?? [];
  const ok = gates.filter((g) => conds.some((c) => c.type === g.conditionType && c.status === 'True')).length;
  return `${ok}/${gates.length}`;
}

export const podPrinter = printer<Pod>([
  NAME,
  [col('Ready', 'string', 0, 'The aggregate readiness state of this pod for accepting traffic.'), ready],
  [col('Status', 'string', 0, 'The aggregate status of the containers in this pod.'), podStatusText],
  [
    col('Restarts', 'string', 0, 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    restarts,
  ],
  AGE,
  [
    col('IP', 'string', 1, 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
    (pod) => orNone(pod.status?.podIP),
  ],
  [col('Node', 'string', 1, 'NodeName is a request to schedule this pod onto a specific node.'), (pod) => orNone(pod.spec?.nodeName)],
  [
    col('Nominated Node', 'string', 1, 'nominatedNodeName is set only when this pod preempts other pods on the node.'),
    (pod) => orNone(pod.status?.nominatedNodeName),
  ],
  [col('Readiness Gates', 'string', 1, 'If specified, all readiness gates will be evaluated for pod readiness.'), readinessGates],
]);
