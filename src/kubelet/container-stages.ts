import { isoTime } from '../lib/clock.ts';
import { afterRestart, formatGoDuration, INITIAL_BACKOFF_SECONDS, MAX_BACKOFF_SECONDS, restartAllowedAt } from './backoff.ts';
import { hexDigest } from '../lib/digest.ts';
import { imageId, imageSizeBytes, isValidImageName, normalizeImage } from './images.ts';
import { initDone } from './pod-status.ts';
import { stateAt } from './probes.ts';
import { containerConfigError } from './references.ts';
import { planRunning } from './running-plan.ts';
import { msOf, podRef, type ContainerSim, type PodSim } from './sim.ts';
import { created, deleting, isTerminal, runningSince, S, terminate, type ContainerStage } from './stage-kit.ts';

/** When this container's turn to be created came: init containers one by one, then all app containers. */
function turnOpenedAt(sim: PodSim, c: ContainerSim): number | undefined {
  const st = sim.pod.status;
  if (!st.podIP) return undefined;
  const sandboxAt = msOf(st.conditions?.find((x) => x.type === 'PodReadyToStartContainers' && x.status === 'True')?.lastTransitionTime);
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
  return inits.length ? msOf(st.conditions?.find((x) => x.type === 'Initialized')?.lastTransitionTime) : sandboxAt;
}

/** The container's turn came: the image is pulled (serially, as the kubelet does by default) unless already on the node. */
export const pullImage: ContainerStage = {
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
      sim.events.push(
        { container: c.name, type: 'Warning', reason: 'InspectFailed', message },
        { container: c.name, type: 'Warning', reason: 'Failed', message: 'Error: InvalidImageName' },
      );
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

const pullFailing = (c: ContainerSim) => ['ErrImagePull', 'ImagePullBackOff'].includes(c.status.state?.waiting?.reason ?? '');
/** The pull that just ran (not an image already on the node) meets a registry error. */
const pullHitsError = (c: ContainerSim) => c.behavior.imagePullError !== undefined && c.book.pullSecs !== undefined && !created(c);

function failPull(sim: PodSim, c: ContainerSim, at: number): void {
  const image = c.spec.image ?? '';
  const message = `failed to pull and unpack image "${normalizeImage(image)}": ${c.behavior.imagePullError}`;
  const delay = c.book.pullBackoff ? Math.min(c.book.pullBackoff.delay * 2, MAX_BACKOFF_SECONDS) : INITIAL_BACKOFF_SECONDS;
  c.book.pullBackoff = { delay, updatedAt: at };
  c.book.pullRetryAt = at + delay * S;
  c.status.state = { waiting: { reason: 'ErrImagePull', message } };
  sim.events.push(
    { container: c.name, type: 'Warning', reason: 'Failed', message: `Failed to pull image "${image}": ${message}` },
    { container: c.name, type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull' },
  );
}

/** The registry refuses the image (`kates.dev/image-pull-error`): ErrImagePull. */
export const imagePullFails: ContainerStage = {
  name: 'image-pull-fails',
  due: (sim, c) => (pullHitsError(c) && !pullFailing(c) && !isTerminal(sim) && !deleting(sim) ? c.book.pullAt : undefined),
  apply: (sim, c, at) => failPull(sim, c, at),
};

/** The kubelet waits before pulling again: ImagePullBackOff (10 s doubling to 5 min, like restarts). */
export const imagePullBackOff: ContainerStage = {
  name: 'image-pull-back-off',
  due: (sim, c) => (c.status.state?.waiting?.reason === 'ErrImagePull' && !deleting(sim) ? c.book.pullBackoff!.updatedAt + S : undefined),
  apply(sim, c) {
    const image = c.spec.image ?? '';
    c.status.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } };
    sim.events.push(
      { container: c.name, type: 'Normal', reason: 'BackOff', message: `Back-off pulling image "${image}"` },
      { container: c.name, type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff' },
    );
  },
};

/** Back-off over: pull again; it fails again while the error is declared, else the image arrives. */
export const retryPull: ContainerStage = {
  name: 'retry-pull',
  due: (sim, c) => (pullFailing(c) && c.book.pullRetryAt !== undefined && !deleting(sim) ? c.book.pullRetryAt : undefined),
  apply(sim, c, at) {
    if (c.behavior.imagePullError !== undefined) return failPull(sim, c, at);
    delete c.book.pullRetryAt;
    c.book.pullAt = at + c.behavior.pullSeconds * S;
    c.book.pullSecs = c.behavior.pullSeconds;
    c.status.state = { waiting: { reason: (sim.pod.spec?.initContainers ?? []).length ? 'PodInitializing' : 'ContainerCreating' } };
    sim.events.push({ container: c.name, type: 'Normal', reason: 'Pulling', message: `Pulling image "${c.spec.image}"` });
  },
};

/** A referenced ConfigMap or Secret is missing: CreateContainerConfigError until it exists. */
export const configError: ContainerStage = {
  name: 'config-error',
  due(sim, c) {
    if (c.book.pullAt === undefined || created(c) || isTerminal(sim) || deleting(sim) || c.status.state?.waiting?.reason === 'InvalidImageName')
      return undefined;
    if (pullFailing(c) || pullHitsError(c)) return undefined;
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
export const createContainer: ContainerStage = {
  name: 'create-container',
  due(sim, c) {
    if (c.book.pullAt === undefined || created(c) || isTerminal(sim) || deleting(sim) || c.status.state?.waiting?.reason === 'InvalidImageName')
      return undefined;
    if (pullFailing(c) || pullHitsError(c)) return undefined;
    if (containerConfigError(sim.pod, c.spec, sim.env)) return undefined;
    // Blocked on a missing reference: it starts when the kubelet sees the reference exist.
    return c.status.state?.waiting?.reason === 'CreateContainerConfigError' ? sim.now : c.book.pullAt;
  },
  apply(sim, c, at) {
    const image = c.spec.image ?? '';
    if (c.book.pullSecs !== undefined) {
      const secs = `${c.book.pullSecs}s`;
      sim.events.push({
        container: c.name,
        type: 'Normal',
        reason: 'Pulled',
        message: `Successfully pulled image "${image}" in ${secs} (${secs} including waiting). Image size: ${imageSizeBytes(image)} bytes.`,
      });
    } else {
      sim.events.push({ container: c.name, type: 'Normal', reason: 'Pulled', message: `Container image "${image}" already present on machine` });
    }
    sim.pulled.push(normalizeImage(image));
    start(sim, c, at);
  },
};

/** The startup probe passed (or there is none): liveness and readiness probes begin. */
export const startupPassed: ContainerStage = {
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
export const readinessChange: ContainerStage = {
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
export const containerEnds: ContainerStage = {
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
    if (c.isInit && !c.isSidecar && end.exitCode === 0) c.status.ready = true; // a completed step reads ready
  },
};

/** A restartable exit: CrashLoopBackOff while the back-off runs (none after the first crash). */
export const crashLoopBackOff: ContainerStage = {
  name: 'crash-loop-back-off',
  due(sim, c) {
    const t = c.status.state?.terminated;
    if (!t || !shouldRestart(sim, c, t.exitCode) || deleting(sim)) return undefined;
    const finished = msOf(t.finishedAt)!;
    return restartAllowedAt(c.book.backoff, finished) > finished ? finished : undefined;
  },
  apply(sim, c) {
    const t = c.status.state!.terminated; // due() found it terminated
    const delay = c.book.backoff!.delay;
    c.status.lastState = { terminated: t };
    c.status.state = {
      waiting: { reason: 'CrashLoopBackOff', message: `back-off ${formatGoDuration(delay)} restarting failed container=${c.name} pod=${podRef(sim.pod)}` },
    };
    sim.events.push({
      container: c.name,
      type: 'Warning',
      reason: 'BackOff',
      message: `Back-off restarting failed container ${c.name} in pod ${podRef(sim.pod)}`,
    });
  },
};

/** The back-off is over (or there was none): the container starts again, restartCount + 1. */
export const restartContainer: ContainerStage = {
  name: 'restart-container',
  due(sim, c) {
    if (deleting(sim) || isTerminal(sim)) return undefined;
    const t = c.status.state?.terminated ?? (c.status.state?.waiting?.reason === 'CrashLoopBackOff' ? c.status.lastState?.terminated : undefined);
    if (!t || !shouldRestart(sim, c, t.exitCode)) return undefined;
    return restartAllowedAt(c.book.backoff, msOf(t.finishedAt)!);
  },
  apply(sim, c, at) {
    const t = (c.status.state!.terminated ?? c.status.lastState!.terminated)!; // due() found one
    c.book.backoff = afterRestart(c.book.backoff, msOf(t.finishedAt)!, at);
    c.status.lastState = { terminated: t };
    c.status.restartCount = (c.status.restartCount ?? 0) + 1;
    sim.events.push({ container: c.name, type: 'Normal', reason: 'Pulled', message: `Container image "${c.spec.image}" already present on machine` });
    start(sim, c, at);
  },
};

function start(sim: PodSim, c: ContainerSim, at: number): void {
  const image = c.spec.image ?? '';
  c.status.containerID = `containerd://${hexDigest(`${sim.pod.metadata.uid}/${c.name}/${c.status.restartCount ?? 0}`)}`;
  c.status.image = normalizeImage(image);
  c.status.imageID = imageId(image);
  c.status.state = { running: { startedAt: isoTime(at) } };
  c.status.ready = false;
  c.status.started = !c.startup;
  sim.events.push(
    { container: c.name, type: 'Normal', reason: 'Created', message: `Created container: ${c.name}` },
    { container: c.name, type: 'Normal', reason: 'Started', message: `Started container ${c.name}` },
  );
}

/** restartPolicy per container: sidecars always restart; other init containers treat Always as OnFailure. */
function shouldRestart(sim: PodSim, c: ContainerSim, exitCode: number): boolean {
  if (isTerminal(sim)) return false;
  if (c.isSidecar) return true;
  let policy = sim.pod.spec?.restartPolicy ?? 'Always';
  if (c.isInit && policy === 'Always') policy = 'OnFailure';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}
