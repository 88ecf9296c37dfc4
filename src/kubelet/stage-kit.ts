import { isoTime } from '../lib/clock.ts';
import { msOf, type ContainerSim, type PodSim } from './sim.ts';

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

export const S = 1000;

export const isTerminal = (sim: PodSim) => sim.pod.status.phase === 'Succeeded' || sim.pod.status.phase === 'Failed';
export const deleting = (sim: PodSim) => sim.pod.metadata.deletionTimestamp !== undefined;
export const runningSince = (c: ContainerSim) => msOf(c.status.state?.running?.startedAt);
export const created = (c: ContainerSim) => Boolean(c.status.containerID);

export function terminate(c: ContainerSim, at: number, exitCode: number, reason: string): void {
  c.status.state = {
    terminated: { exitCode, reason, startedAt: c.status.state?.running?.startedAt, finishedAt: isoTime(at), containerID: c.status.containerID },
  };
  c.status.ready = false;
  c.status.started = false;
}
