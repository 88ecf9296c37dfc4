import type { ContainerStateRunning, ContainerStateTerminated, Pod } from '../kube/objects.ts';
import type { ObjectStore } from '../store/objects.ts';
import { ANNOTATION, annotationFor } from './behavior.ts';
import { normalizeImage } from './images.ts';
import { planRunning } from './running-plan.ts';
import { msOf, newPodSim, type KubeletEnv } from './sim.ts';
import { containerUsage } from './usage.ts';

export interface LogOptions {
  /** The previous instance of a restarted container (`kubectl logs -p`). */
  previous?: boolean;
  /** Cluster time: only what happened until then is written. Default: everything the status shows. */
  now?: number;
}

const noEnv: KubeletEnv = {
  node: { apiVersion: 'v1', kind: 'Node', metadata: {} },
  allocatePodIP: () => '',
  imagePresent: () => true,
  keys: () => undefined,
  claimBound: () => true,
};

/**
 * What `kubectl logs` shows for a simulated container: its start, its probe results and how it
 * ended (exit code, OOM kill, failed probe), timestamped on the cluster clock. Derived from the pod
 * itself, so every API replica answers the same. Empty when the container never ran.
 */
export function podLogLines(pod: Pod, container: string, opts: LogOptions = {}): string {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const status = statuses.find((s) => s.name === container);
  // Like the kubelet, a container waiting to restart still shows its last instance's output.
  // Running and terminated states share startedAt; only a terminated one has the rest.
  const instance: ContainerStateTerminated | ContainerStateRunning | undefined = opts.previous
    ? status?.lastState?.terminated
    : (status?.state?.running ?? status?.state?.terminated ?? status?.lastState?.terminated);
  const start = msOf(instance?.startedAt);
  if (!status || start === undefined) return '';
  const ended = instance as Partial<ContainerStateTerminated>; // start is set, so an instance is
  const end = msOf(ended.finishedAt);
  const until = Math.min(end ?? Infinity, opts.now ?? Infinity);
  const sim = newPodSim(pod, noEnv, opts.now ?? start);
  const c = sim.containers.find((x) => x.name === container)!;
  const lines: Array<[number, string]> = [];
  const say = (at: number, text: string) => {
    if (at <= until) lines.push([at, text]);
  };

  const restarts = status.restartCount ?? 0;
  const ordinal = opts.previous || !(status.state?.running ?? status.state?.terminated) ? Math.max(0, restarts - 1) : restarts;
  say(start, `starting ${container} (${normalizeImage(c.spec.image ?? '')}), pod ${pod.metadata.namespace}/${pod.metadata.name}, restart #${ordinal}`);
  for (const line of imageBanner(c.spec.image ?? '')) say(start, line);
  const usage = containerUsage(pod, c.spec);
  if (annotationFor(pod, ANNOTATION.cpuUsage, container) || annotationFor(pod, ANNOTATION.memoryUsage, container)) {
    say(
      start,
      `working: cpu ${usage.cpuDemandMillis}m, memory ${Math.round(usage.memoryDemandBytes / 1048576)}Mi${usage.cpuThrottled ? ' (cpu throttled at its limit)' : ''}`,
    );
  }
  const plan = planRunning(sim, c, start);
  if (c.startup && plan.startedAt !== undefined) say(plan.startedAt, 'startup probe: succeeded');
  for (const f of plan.readyFlips) {
    if (!c.readiness) continue;
    say(f.at, f.state ? 'readiness probe: succeeded, serving traffic' : `readiness probe: failed (${c.readiness.failureMessage})`);
  }
  if (plan.end && (end === undefined || plan.end.at <= end)) {
    const e = plan.end;
    if (e.cause === 'oom') {
      say(
        e.at,
        `out of memory: using ${Math.round(usage.memoryDemandBytes / 1048576)}Mi with a limit of ${c.spec.resources?.limits?.memory}; killed by the kernel (OOMKilled, exit code 137)`,
      );
    } else if (e.cause === 'liveness' || e.cause === 'startup') {
      say(e.at - 1, `${e.cause} probe: failed (${(e.cause === 'liveness' ? c.liveness : c.startup)!.failureMessage})`);
      say(e.at, `${e.cause} probe failed ${(e.cause === 'liveness' ? c.liveness : c.startup)!.failureThreshold} times: killed by the kubelet (exit code 137)`);
    } else if (e.exitCode === 0) {
      say(e.at, 'work done, exiting with code 0');
    } else {
      say(e.at, `fatal error, exiting with code ${e.exitCode}`);
    }
  } else if (end !== undefined) {
    say(end, `received SIGTERM, shutting down (exit code ${ended.exitCode})`);
  }
  return lines
    .sort((a, b) => a[0] - b[0])
    .map(([at, text]) => `${new Date(at).toISOString()} ${text}`)
    .join('\n')
    .concat(lines.length ? '\n' : '');
}

/** The first lines a few well-known images print, so `kubectl logs` looks familiar. */
function imageBanner(image: string): string[] {
  const repo = normalizeImage(image).split('/').pop()!.split(/[:@]/)[0];
  if (repo === 'nginx') {
    return ['/docker-entrypoint.sh: Configuration complete; ready for start up', 'nginx: start worker processes'];
  }
  if (repo === 'redis') return ['Redis is starting', 'Ready to accept connections tcp'];
  if (repo === 'postgres') return ['database system is ready to accept connections'];
  return [];
}

/** The Kubernetes API's `podLogs` dependency, reading pods from the store at cluster time. */
export function podLogReader(
  store: ObjectStore,
): (clusterId: string, namespace: string, pod: string, container: string, previous?: boolean) => Promise<string> {
  return async (clusterId, namespace, name, container, previous) => {
    const pod = await store.get(clusterId, 'pods', namespace, name);
    if (!pod) return '';
    return podLogLines(pod, container, { previous, now: await store.clusterNow(clusterId) });
  };
}
