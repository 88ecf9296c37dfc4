import {
  configError,
  containerEnds,
  crashLoopBackOff,
  createContainer,
  imagePullBackOff,
  imagePullFails,
  pullImage,
  readinessChange,
  restartContainer,
  retryPull,
  startupPassed,
} from './container-stages.ts';
import { admit, deadline, finishDeletion, sandbox, stopContainers, waitForMounts } from './pod-stages.ts';
import type { ContainerStage, PodStage } from './stage-kit.ts';

export type { ContainerStage, PodStage } from './stage-kit.ts';
export { nodeInternalIP } from './pod-stages.ts';

/**
 * The simulated kubelet's lifecycle table (see stage-kit.ts): pod-level stages, then the stages
 * every container goes through. The stepper picks the earliest due stage each time; on a tie the
 * earlier row wins.
 */
export const podStages: PodStage[] = [admit, waitForMounts, sandbox, deadline, stopContainers, finishDeletion];

export const containerStages: ContainerStage[] = [
  pullImage,
  imagePullFails,
  imagePullBackOff,
  retryPull,
  configError,
  createContainer,
  startupPassed,
  readinessChange,
  containerEnds,
  crashLoopBackOff,
  restartContainer,
];
