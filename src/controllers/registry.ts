import type { Controller } from './runtime.ts';
import { replicaSetController } from './replicaset/controller.ts';
import { deploymentController } from './deployment/controller.ts';
import { statefulSetController } from './statefulset/controller.ts';
import { schedulerController } from './scheduler.ts';

/** Every controller the queue runtime runs per cluster. One line per controller; keep edits additive. */
export const controllers: Controller[] = [
  replicaSetController,
  deploymentController,
  statefulSetController,
  schedulerController,
];
