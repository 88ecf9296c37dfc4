import type { ObjectStore } from '../store/objects.ts';
import type { Logger } from '../lib/logger.ts';
import type { EventRecorder } from '../kube/events.ts';

/** What a reconcile pass may use. All time is the cluster's own clock (honours timeScale). */
export interface ReconcileContext {
  clusterId: string;
  store: ObjectStore;
  /** Cluster-clock time in epoch ms. */
  now(): number;
  log: Logger;
  events: EventRecorder;
  /** Ask another controller of this cluster to run soon (e.g. the scheduler after pods are created). */
  trigger(controller: string, afterMs?: number): void;
}

export interface ReconcileResult {
  /**
   * Cluster-clock ms until this controller's next due time (timers, deadlines, sync periods). The
   * runtime keeps one timer per (cluster, controller) at the answer of the latest pass: leave it out
   * when nothing is due, and no timer is armed (an idle cluster then costs nothing).
   */
  requeueAfterMs?: number;
  /** The pass stopped at its work bound; run again right away (behind other tenants' jobs). */
  more?: boolean;
}

/**
 * A level-triggered controller over one cluster. A pass reads current state and converges it; a
 * lost or duplicated pass is harmless. Passes of one (cluster, controller) never overlap. It runs
 * when a watched resource is written, when its timer is due, and once whenever the cluster's
 * clock or state changes under it (the cluster becomes RUNNING, its clock is advanced).
 */
export interface Controller {
  name: string;
  /** Resource keys (e.g. `pods`, `deployments.apps`) whose writes trigger a pass. */
  watches: string[];
  reconcile(ctx: ReconcileContext): Promise<ReconcileResult | void>;
}
