import type { Container } from '../kube/objects.ts';
import type { KubeObject } from '../kube/types.ts';
import { defaultPullSeconds } from './images.ts';
import { ANNOTATION } from '../kube/behavior-annotations.ts';

/** The annotation keys live with the Kubernetes API, which `kubectl exec` also stamps them through. */
export { ANNOTATION };

/** A Job's containers finish after this by default. */
export const DEFAULT_JOB_RUN_SECONDS = 5;
/** An init container (not a sidecar) is a step that finishes; by default after this. */
export const DEFAULT_INIT_RUN_SECONDS = 2;
/** A container asked to stop exits after this (capped by the grace period). */
export const DEFAULT_STOP_SECONDS = 1;
/** Declared memory above the limit is OOM-killed this long after the container starts. */
export const OOM_AFTER_SECONDS = 2;

export interface ContainerBehavior {
  pullSeconds: number;
  /** The readiness handler fails until this long after start. */
  readyAfterSeconds: number;
  /** Live toggle for the readiness handler (`kubectl annotate pod p kates.dev/readiness=fail`). */
  readiness: 'pass' | 'fail';
  /** The liveness handler fails from this long after start. */
  failLivenessAfterSeconds?: number;
  liveness: 'pass' | 'fail';
  /** The startup handler fails until this long after start. */
  startupSeconds: number;
  /** The process exits by itself this long after start, with `exitCode`. */
  exitAfterSeconds?: number;
  exitCode: number;
  stopSeconds: number;
  memoryUsage?: string;
  cpuUsage?: string;
  /** Pulls of the image fail with this message (ErrImagePull, then ImagePullBackOff) while it is set. */
  imagePullError?: string;
}

/**
 * A behaviour annotation for one container: `<key>.<container>` first, then the pod-wide `<key>`,
 * which speaks for the app containers only (init containers are steps of their own, so they
 * follow only annotations that name them).
 */
export function annotationFor(pod: KubeObject, key: string, container: string): string | undefined {
  const a = pod.metadata.annotations ?? {};
  const named = a[`${key}.${container}`];
  if (named !== undefined) return named;
  const isInit = (pod.spec?.initContainers ?? []).some((c: { name: string }) => c.name === container);
  return isInit ? undefined : a[key];
}

function seconds(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Job-style: the pod is expected to finish, because a Job owns it. A bare pod keeps running until it
 * is deleted whatever its restartPolicy (`kubectl run x --image=nginx --restart=Never` stays Running,
 * as nginx would); `kates.dev/run-seconds` or a `sleep` command makes it finish.
 */
export function isJobStyle(pod: KubeObject): boolean {
  return (pod.metadata.ownerReferences ?? []).some((o) => o.kind === 'Job' && o.controller);
}

/** `sleep 60m`, `sleep 3600`, `sleep infinity` in the command line: how long the process runs. */
export function sleepSecondsFromCommand(container: Container | undefined): number | undefined {
  const line = [...(container?.command ?? []), ...(container?.args ?? [])].join(' ');
  const m = /\bsleep\s+(infinity|\d+(?:\.\d+)?)([smhd]?)\b/.exec(line);
  if (!m) return undefined;
  if (m[1] === 'infinity') return Infinity;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]] ?? 1;
  return Number(m[1]) * unit;
}

export function containerBehavior(pod: KubeObject, container: Container | undefined, isInit: boolean): ContainerBehavior {
  const name = container?.name ?? '';
  const get = (key: string) => annotationFor(pod, key, name);
  const crash = seconds(get(ANNOTATION.crashAfterSeconds));
  const run = seconds(get(ANNOTATION.runSeconds));
  const sleep = sleepSecondsFromCommand(container);
  let exitAfterSeconds: number | undefined;
  let exitCode = 0;
  if (crash !== undefined) {
    exitAfterSeconds = crash;
    exitCode = Number(get(ANNOTATION.exitCode) ?? 1) || 1;
  } else if (run !== undefined) {
    exitAfterSeconds = run;
    exitCode = Number(get(ANNOTATION.exitCode) ?? 0) || 0;
  } else if (sleep !== undefined) {
    exitAfterSeconds = Number.isFinite(sleep) ? sleep : undefined;
  } else if (isInit && container?.restartPolicy !== 'Always') {
    exitAfterSeconds = DEFAULT_INIT_RUN_SECONDS;
  } else if (isJobStyle(pod)) {
    exitAfterSeconds = DEFAULT_JOB_RUN_SECONDS;
  }
  return {
    pullSeconds: seconds(get(ANNOTATION.imagePullSeconds)) ?? defaultPullSeconds(container?.image ?? ''),
    readyAfterSeconds: seconds(get(ANNOTATION.readyAfterSeconds)) ?? 0,
    readiness: get(ANNOTATION.readiness) === 'fail' ? 'fail' : 'pass',
    failLivenessAfterSeconds: seconds(get(ANNOTATION.failLivenessAfterSeconds)),
    liveness: get(ANNOTATION.liveness) === 'fail' ? 'fail' : 'pass',
    startupSeconds: seconds(get(ANNOTATION.startupSeconds)) ?? 0,
    exitAfterSeconds,
    exitCode,
    stopSeconds: seconds(get(ANNOTATION.stopSeconds)) ?? DEFAULT_STOP_SECONDS,
    memoryUsage: get(ANNOTATION.memoryUsage),
    cpuUsage: get(ANNOTATION.cpuUsage),
    imagePullError: get(ANNOTATION.imagePullError) || undefined,
  };
}
