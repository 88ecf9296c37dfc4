/* eslint-disable @typescript-eslint/no-explicit-any */
import { isoTime } from '../lib/clock.ts';
import { afterRestart, formatGoDuration, restartAllowedAt } from './backoff.ts';
import { hexDigest } from './ids.ts';
import { imageId, imageSizeBytes, isValidImageName, normalizeImage } from './images.ts';
import { containerConfigError, unmountableVolumes } from './references.ts';
import { planRunning } from './running-plan.ts';
import { stateAt } from './probes.ts';
import { msOf, podRef, type ContainerSim, type PodSim } from './sim.ts';
import { conditionStatus, initDone, setCondition } from './pod-status.ts';
import { qosClass } from './qos.ts';

/**
 * The simulated kubelet as data, in the manner of kwok's Stages: each stage says when it is due for
 * a pod (or one of its containers) and what it changes. The stepper applies due stages in time
 * order, so a clock that jumps ten minutes replays every crash and restart in between.
 */
export interface PodStage {
  name: string;
  due(sim: PodSim, cursor: number): number | undefined;
  apply(sim: PodSim, at: number): void;
}

export interface ContainerStage {
  name: string;
  due(sim: PodSim, c: ContainerSim, cursor: number): number | undefined;
  apply(sim: PodSim, c: ContainerSim, at: number): void;
}

const S = 1000;

const isTerminal = (sim: PodSim) => sim.pod.status.phase === 'Succeeded' || sim.pod.status.phase === 'Failed';
const deleting = (sim: PodSim) => sim.pod.metadata.deletionTimestamp !== undefined;
const runningSince = (c: ContainerSim) => msOf(c.status.state?.running?.startedAt);
const created = (c: ContainerSim) => Boolean(c.status.containerID);

// ---------------------------------------------------------------- pod stages

/** First sight of a bound pod: the kubelet admits it and reports its host. */
const admit: PodStage = {
  name: 'admit',
  due: (sim, cursor) => (sim.pod.status.startTime || deleting(sim) ? undefined : cursor),
  apply(sim, at) {
    const st = sim.pod.status;
    const hostIP = nodeInternalIP(sim.env.node);
    st.phase ??= 'Pending';
    st.hostIP = hostIP;
    st.hostIPs = [{ ip: hostIP }];
    st.startTime = isoTime(at);
    st.qosClass ??= qosClass(sim.pod);
    if (conditionStatus(st, 'PodScheduled') !== 'True') setCondition(st, 'PodScheduled', 'True', at);
    setCondition(st, 'PodReadyToStartContainers', 'False', at);
  },
};

/** Volumes that cannot be mounted keep the pod in ContainerCreating, with one FailedMount event per new cause. */
const waitForMounts: PodStage = {
  name: 'wait-for-mounts',
  due(sim, cursor) {
    if (!sim.pod.status.startTime || sim.pod.status.podIP || deleting(sim)) return undefined;
    const problems = unmountableVolumes(sim.pod, sim.env);
    return problems.length && problems[0].message !== sim.book.mount ? cursor : undefined;
  },
  apply(sim) {
    const [first] = unmountableVolumes(sim.pod, sim.env);
    sim.book.mount = first.message;
    sim.events.push({ type: 'Warning', reason: 'FailedMount', message: first.message });
  },
};

/** Volumes mounted: the sandbox gets its IP and containers may start (first init container, or all). */
const sandbox: PodStage = {
  name: 'create-sandbox',
  due(sim, cursor) {
    if (!sim.pod.status.startTime || sim.pod.status.podIP || deleting(sim)) return undefined;
    if (unmountableVolumes(sim.pod, sim.env).length) return undefined;
    return sim.book.mount ? sim.now : cursor; // a volume it waited for became available
  },
  apply(sim, at) {
    const st = sim.pod.status;
    const ip = sim.pod.spec?.hostNetwork ? st.hostIP : sim.env.allocatePodIP();
    st.podIP = ip;
    st.podIPs = [{ ip }];
    delete sim.book.mount;
    setCondition(st, 'PodReadyToStartContainers', 'True', at);
  },
};

/** `activeDeadlineSeconds` passed: the kubelet kills the pod and fails it. */
const deadline: PodStage = {
  name: 'active-deadline',
  due(sim) {
    const ads = sim.pod.spec?.activeDeadlineSeconds;
    const start = msOf(sim.pod.status.startTime);
    if (typeof ads !== 'number' || start === undefined || isTerminal(sim) || deleting(sim)) return undefined;
    return start + ads * S;
  },
  apply(sim, at) {
    const message = 'Pod was active on the node longer than the specified deadline';
    for (const c of sim.containers) if (c.status.state?.running) terminate(c, at, 137, 'Error');
    Object.assign(sim.pod.status, { phase: 'Failed', reason: 'DeadlineExceeded', message });
    sim.events.push({ type: 'Warning', reason: 'DeadlineExceeded', message });
  },
};

/** A pod being deleted: its containers get SIGTERM (Killing events)... */
const stopContainers: PodStage = {
  name: 'stop-containers',
  due: (sim, cursor) => (deleting(sim) && !sim.book.killing ? cursor : undefined),
  apply(sim) {
    sim.book.killing = true;
    for (const c of sim.containers) {
      if (c.status.state?.running) sim.events.push({ container: c.name, type: 'Normal', reason: 'Killing', message: `Stopping container ${c.name}` });
    }
  },
};

/** ...and once they stopped (within the grace period) the kubelet removes the pod for good. */
const finishDeletion: PodStage = {
  name: 'finish-deletion',
  due(sim) {
    const ts = msOf(sim.pod.metadata.deletionTimestamp);
    if (ts === undefined || (isTerminal(sim) && sim.pod.metadata.deletionGracePeriodSeconds === 0)) return undefined;
    const grace = (sim.pod.metadata.deletionGracePeriodSeconds ?? 0) * S;
    const began = ts - grace;
    const anyRunning = sim.containers.some((c) => c.status.state?.running);
    const stop = anyRunning ? Math.max(...sim.containers.map((c) => c.behavior.stopSeconds)) * S : 0;
    return Math.min(began + stop, ts);
  },
  apply(sim, at) {
    if ((sim.pod.metadata.finalizers ?? []).length === 0) {
      sim.remove = true;
      return;
    }
    // Finalizers keep the object: report it terminal, with grace 0 so the last finalizer removal deletes it.
    for (const c of sim.containers) if (c.status.state?.running) terminate(c, at, 143, 'Error');
    if (!isTerminal(sim)) sim.pod.status.phase = 'Failed';
    sim.pod.metadata.deletionGracePeriodSeconds = 0;
  },
};

export const podStages: PodStage[] = [admit, waitForMounts, sandbox, deadline, stopContainers, finishDeletion];

// ---------------------------------------------------------- container stages

/** When this container's turn to be created came: init containers one by one, then all app containers. */
function turnOpenedAt(sim: PodSim, c: ContainerSim): number | undefined {
  const st = sim.pod.status;
  if (!st.podIP) return undefined;
  const sandboxAt = msOf(st.conditions?.find((x: any) => x.type === 'PodReadyToStartContainers' && x.status === 'True')?.lastTransitionTime);
  const inits = sim.containers.filter((x) => x.isInit);
  if (c.isInit) {
    const i = inits.indexOf(c);
    if (i === 0) return sandboxAt;
    const prev = inits[i - 1];
    if (prev.isSidecar) return prev.status.started ? msOf(prev.status.state?.running?.startedAt) : undefined;
    const t = prev.status.state?.terminated;
    return t?.exitCode === 0 ? msOf(t.finishedAt) : undefined;
  }
  if (!initDone(sim.pod).done) return undefined;
  return inits.length ? msOf(st.conditions?.find((x: any) => x.type === 'Initialized')?.lastTransitionTime) : sandboxAt;
}

/** The container's turn came: the image is pulled (serially, as the kubelet does by default) unless already on the node. */
const pullImage: ContainerStage = {
  name: 'pull-image',
  due(sim, c) {
    if (c.book.pullAt !== undefined || created(c) || isTerminal(sim) || deleting(sim)) return undefined;
    return turnOpenedAt(sim, c);
  },
  apply(sim, c, at) {
    const image = c.spec.image ?? '';
    if (!isValidImageName(image)) {
      c.book.pullAt = at;
      const message = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format: repository name must be lowercase`;
      c.status.state = { waiting: { reason: 'InvalidImageName', message } };
      sim.events.push({ container: c.name, type: 'Warning', reason: 'InspectFailed', message }, { container: c.name, type: 'Warning', reason: 'Failed', message: 'Error: InvalidImageName' });
      return;
    }
    // API defaulting: Always for :latest (or no tag), IfNotPresent otherwise.
    const policy = c.spec.imagePullPolicy ?? (normalizeImage(image).endsWith(':latest') ? 'Always' : 'IfNotPresent');
    const present = sim.env.imagePresent(image);
    const mustPull = policy === 'Always' || !present;
    // With Always and the image present, the registry only confirms the digest.
    const pullSecs = !mustPull ? 0 : present ? Math.min(0.5, c.behavior.pullSeconds) : c.behavior.pullSeconds;
    const queued = Math.max(at, ...sim.containers.map((x) => (x !== c && x.book.pullAt !== undefined && !created(x) ? x.book.pullAt : at)));
    c.book.pullAt = mustPull ? queued + pullSecs * S : at;
    if (mustPull) c.book.pullSecs = pullSecs;
    if (mustPull) sim.events.push({ container: c.name, type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"` });
  },
};

/** A referenced ConfigMap or Secret is missing: CreateContainerConfigError until it exists. */
const configError: ContainerStage = {
  name: 'config-error',
  due(sim, c) {
    if (c.book.pullAt === undefined || created(c) || isTerminal(sim) || deleting(sim) || c.status.state?.waiting?.reason === 'InvalidImageName') return undefined;
    const problem = containerConfigError(sim.pod, c.spec, sim.env);
    return problem && c.status.state?.waiting?.message !== problem ? c.book.pullAt : undefined;
  },
  apply(sim, c) {
    const message = containerConfigError(sim.pod, c.spec, sim.env)!;
    c.status.state = { waiting: { reason: 'CreateContainerConfigError', message } };
    sim.events.push({ container: c.name, type: 'Warning', reason: 'Failed', message: `Error: ${message}` });
  },
};

/** Image ready and configuration complete: the runtime creates and starts the container. */
const createContainer: ContainerStage = {
  name: 'create-container',
  due(sim, c) {
    if (c.book.pullAt === undefined || created(c) || isTerminal(sim) || deleting(sim) || c.status.state?.waiting?.reason === 'InvalidImageName') return undefined;
    if (containerConfigError(sim.pod, c.spec, sim.env)) return undefined;
    // Blocked on a missing reference: it starts when the kubelet sees the reference exist.
    return c.status.state?.waiting?.reason === 'CreateContainerConfigError' ? sim.now : c.book.pullAt;
  },
  apply(sim, c, at) {
    const image = c.spec.image ?? '';
    if (c.book.pullSecs !== undefined) {
      const secs = `${c.book.pullSecs}s`;
      sim.events.push({ container: c.name, type: 'Normal', reason: 'Pulled', message: `Successfully pulled image "${image}" in ${secs} (${secs} including waiting). Image size: ${imageSizeBytes(image)} bytes.` });
    } else {
      sim.events.push({ container: c.name, type: 'Normal', reason: 'Pulled', message: `Container image "${image}" already present on machine` });
    }
    sim.pulled.push(normalizeImage(image));
    start(sim, c, at);
  },
};

/** The startup probe passed (or there is none): liveness and readiness probes begin. */
const startupPassed: ContainerStage = {
  name: 'startup-passed',
  due(sim, c) {
    const since = runningSince(c);
    if (since === undefined || c.status.started) return undefined;
    return planRunning(sim, c, since).startedAt;
  },
  apply(_sim, c) {
    c.status.started = true;
  },
};

/** Readiness follows the probe: the container leaves or rejoins Service endpoints. */
const readinessChange: ContainerStage = {
  name: 'readiness-change',
  due(sim, c, cursor) {
    const since = runningSince(c);
    if (since === undefined || deleting(sim)) return undefined;
    const plan = planRunning(sim, c, since);
    if (stateAt(plan.readyInitial, plan.readyFlips, cursor) !== Boolean(c.status.ready)) return cursor;
    return plan.readyFlips.find((f) => f.at > cursor && f.state !== Boolean(c.status.ready))?.at;
  },
  apply(sim, c, at) {
    const plan = planRunning(sim, c, runningSince(c)!);
    c.status.ready = stateAt(plan.readyInitial, plan.readyFlips, at);
    if (!c.status.ready && c.readiness) {
      sim.events.push({ container: c.name, type: 'Warning', reason: 'Unhealthy', message: `Readiness probe failed: ${c.readiness.failureMessage}` });
    }
  },
};

/** The process exits, is OOM-killed, or is killed after failing its liveness or startup probe. */
const containerEnds: ContainerStage = {
  name: 'container-ends',
  due(sim, c) {
    const since = runningSince(c);
    if (since === undefined || deleting(sim)) return undefined;
    return planRunning(sim, c, since).end?.at;
  },
  apply(sim, c, at) {
    const end = planRunning(sim, c, runningSince(c)!).end!;
    if (end.cause === 'liveness' || end.cause === 'startup') {
      const probe = end.cause === 'liveness' ? c.liveness! : c.startup!;
      const kind = end.cause === 'liveness' ? 'Liveness' : 'Startup';
      sim.events.push(
        { container: c.name, type: 'Warning', reason: 'Unhealthy', message: `${kind} probe failed: ${probe.failureMessage}` },
        { container: c.name, type: 'Normal', reason: 'Killing', message: `Container ${c.name} failed ${end.cause} probe, will be restarted` },
      );
    }
    terminate(c, at, end.exitCode, end.reason);
  },
};

/** A restartable exit: CrashLoopBackOff while the back-off runs (none after the first crash). */
const crashLoopBackOff: ContainerStage = {
  name: 'crash-loop-back-off',
  due(sim, c) {
    const t = c.status.state?.terminated;
    if (!t || !shouldRestart(sim, c, t.exitCode) || deleting(sim)) return undefined;
    const finished = msOf(t.finishedAt)!;
    return restartAllowedAt(c.book.backoff, finished) > finished ? finished : undefined;
  },
  apply(sim, c) {
    const t = c.status.state.terminated;
    const delay = c.book.backoff!.delay;
    c.status.lastState = { terminated: t };
    c.status.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${formatGoDuration(delay)} restarting failed container=${c.name} pod=${podRef(sim.pod)}` } };
    sim.events.push({ container: c.name, type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${c.name} in pod ${podRef(sim.pod)}` });
  },
};

/** The back-off is over (or there was none): the container starts again, restartCount + 1. */
const restartContainer: ContainerStage = {
  name: 'restart-container',
  due(sim, c) {
    if (deleting(sim) || isTerminal(sim)) return undefined;
    const t = c.status.state?.terminated ?? (c.status.state?.waiting?.reason === 'CrashLoopBackOff' ? c.status.lastState?.terminated : undefined);
    if (!t || !shouldRestart(sim, c, t.exitCode)) return undefined;
    return restartAllowedAt(c.book.backoff, msOf(t.finishedAt)!);
  },
  apply(sim, c, at) {
    const t = c.status.state.terminated ?? c.status.lastState.terminated;
    c.book.backoff = afterRestart(c.book.backoff, msOf(t.finishedAt)!, at);
    c.status.lastState = { terminated: t };
    c.status.restartCount = (c.status.restartCount ?? 0) + 1;
    sim.events.push({ container: c.name, type: 'Normal', reason: 'Pulled', message: `Container image "${c.spec.image}" already present on machine` });
    start(sim, c, at);
  },
};

export const containerStages: ContainerStage[] = [pullImage, configError, createContainer, startupPassed, readinessChange, containerEnds, crashLoopBackOff, restartContainer];

// ------------------------------------------------------------------ helpers

function start(sim: PodSim, c: ContainerSim, at: number): void {
  const image = c.spec.image ?? '';
  c.status.containerID = `containerd://${hexDigest(`${sim.pod.metadata.uid}/${c.name}/${c.status.restartCount ?? 0}`)}`;
  c.status.image = normalizeImage(image);
  c.status.imageID = imageId(image);
  c.status.state = { running: { startedAt: isoTime(at) } };
  c.status.ready = false;
  c.status.started = !c.startup;
  sim.events.push({ container: c.name, type: 'Normal', reason: 'Created', message: `Created container: ${c.name}` }, { container: c.name, type: 'Normal', reason: 'Started', message: `Started container ${c.name}` });
}

function terminate(c: ContainerSim, at: number, exitCode: number, reason: string): void {
  c.status.state = {
    terminated: { exitCode, reason, startedAt: c.status.state?.running?.startedAt, finishedAt: isoTime(at), containerID: c.status.containerID },
  };
  c.status.ready = false;
  c.status.started = false;
}

/** restartPolicy per container: sidecars always restart; other init containers treat Always as OnFailure. */
function shouldRestart(sim: PodSim, c: ContainerSim, exitCode: number): boolean {
  if (isTerminal(sim)) return false;
  if (c.isSidecar) return true;
  let policy = sim.pod.spec?.restartPolicy ?? 'Always';
  if (c.isInit && policy === 'Always') policy = 'OnFailure';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

export function nodeInternalIP(node: any): string {
  return node?.status?.addresses?.find((a: any) => a.type === 'InternalIP')?.address ?? '10.0.0.1';
}
