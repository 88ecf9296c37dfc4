import type { KubeObject } from '../kube/types.ts';
import { newPodSim, writeBook, type KubeletEnv, type PodSim, type SimEvent } from './sim.ts';
import { containerStages, podStages } from './stages.ts';
import { podPhase, refreshReadiness } from './pod-status.ts';

export interface StepResult {
  /** The pod with its new status (and the kubelet's bookkeeping annotation). */
  pod: KubeObject;
  changed: boolean;
  events: SimEvent[];
  /** The cluster time of the next transition, if any is scheduled. */
  nextAt?: number;
  /** The kubelet finished deleting the pod: remove it from the store. */
  remove: boolean;
  /** Images now present on the node. */
  pulled: string[];
  /** The kubelet had never written this pod before: none of its Events can exist yet. */
  firstSight: boolean;
  /** Blocked on something outside the pod (a missing ConfigMap/Secret, an unbound claim): no timer can say when. */
  waiting: boolean;
}

/** A pod that keeps changing this often in one step is left for the next pass (bounded work). */
const MAX_TRANSITIONS = 200;

/**
 * Advances one pod to the cluster time `now`: every stage that fell due since the kubelet last
 * wrote it is applied in time order, each at its own time. Pure apart from `env` lookups.
 */
export function stepPod(pod: KubeObject, env: KubeletEnv, now: number): StepResult {
  const sim = newPodSim(pod, env, now);
  const firstSight = sim.book.seenAt === undefined;
  const before = fingerprint(sim);
  let cursor = Math.min(sim.book.seenAt ?? now, now);
  let run = advance(sim, cursor, now);
  cursor = run.cursor;
  if (!sim.remove && observeToggles(sim, now)) run = advance(sim, cursor, now);
  // Conditions someone else changed (a node marked unreachable marks its pods not ready) are put right.
  if (!sim.remove) settle(sim, now);

  const changed = sim.remove || fingerprint(sim) !== before;
  if (changed && !sim.remove) {
    sim.book.seenAt = now;
    writeBook(sim.pod, sim.book);
  }
  const waiting = !sim.remove && (sim.book.mount !== undefined || sim.containers.some((c) => c.status.state?.waiting?.reason === 'CreateContainerConfigError'));
  return {
    pod: sim.pod,
    changed,
    events: sim.events,
    nextAt: sim.remove ? undefined : run.nextAt,
    remove: sim.remove,
    pulled: sim.pulled,
    waiting,
    firstSight,
  };
}

function advance(sim: PodSim, from: number, now: number): { cursor: number; nextAt?: number } {
  let cursor = from;
  for (let i = 0; i < MAX_TRANSITIONS; i++) {
    let best: { at: number; apply: (at: number) => void } | undefined;
    const consider = (due: number | undefined, apply: (at: number) => void) => {
      if (due === undefined) return;
      const at = Math.max(due, cursor);
      if (!best || at < best.at) best = { at, apply };
    };
    for (const stage of podStages) consider(stage.due(sim, cursor), (at) => stage.apply(sim, at));
    for (const c of sim.containers) {
      for (const stage of containerStages) consider(stage.due(sim, c, cursor), (at) => stage.apply(sim, c, at));
    }
    if (!best || best.at > now) return { cursor, nextAt: best?.at };
    best.apply(best.at);
    cursor = best.at;
    if (sim.remove) return { cursor };
    settle(sim, cursor);
  }
  return { cursor, nextAt: now }; // bounded: come back for the rest
}

/** Phase and conditions follow the container states (a terminal phase never changes back). */
function settle(sim: PodSim, at: number): void {
  const st = sim.pod.status;
  if (!st.startTime) return;
  if (st.phase !== 'Succeeded' && st.phase !== 'Failed') st.phase = podPhase(sim.pod);
  if (st.phase === 'Succeeded' || st.phase === 'Failed') {
    for (const c of sim.containers) c.status.ready = false;
  }
  refreshReadiness(sim.pod, at);
}

/**
 * The live toggles (`kates.dev/readiness`, `kates.dev/liveness`) take effect from the moment the
 * kubelet first sees them: probes then need their usual thresholds to notice.
 */
function observeToggles(sim: PodSim, now: number): boolean {
  let seen = false;
  for (const c of sim.containers) {
    const have = c.book.readiness?.value ?? 'pass';
    if (c.behavior.readiness !== have) {
      c.book.readiness = { value: c.behavior.readiness, at: now, readyThen: Boolean(c.status.ready) };
      seen = true;
    }
    if (c.behavior.liveness === 'fail' && c.book.livenessFailAt === undefined) {
      c.book.livenessFailAt = now;
      seen = true;
    } else if (c.behavior.liveness === 'pass' && c.book.livenessFailAt !== undefined) {
      delete c.book.livenessFailAt;
      seen = true;
    }
  }
  return seen;
}

function fingerprint(sim: PodSim): string {
  const { seenAt: _s, ...book } = sim.book;
  return JSON.stringify([sim.pod.status, book, sim.pod.metadata.deletionGracePeriodSeconds]);
}
