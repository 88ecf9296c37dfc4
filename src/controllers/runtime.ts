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
  /** Run again after this many cluster-clock ms even if nothing changes (timers, deadlines). */
  requeueAfterMs?: number;
  /** The pass stopped at its work bound; run again right away (behind other tenants' jobs). */
  more?: boolean;
}

/**
 * A level-triggered controller over one cluster. A pass reads current state and converges it; a
 * lost or duplicated pass is harmless. Passes of one (cluster, controller) never overlap.
 */
export interface Controller {
  name: string;
  /** Resource keys (e.g. `pods`, `deployments.apps`) whose writes trigger a pass. */
  watches: string[];
  /** Also run on every periodic tick of a running cluster (kubelet heartbeats, HPA, CronJobs...). */
  periodic?: boolean;
  reconcile(ctx: ReconcileContext): Promise<ReconcileResult | void>;
}
