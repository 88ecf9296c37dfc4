import type { GroupBackoff, ScaleUpError } from './backoff.ts';
import type { PodOutcome } from './scale-up.ts';

/** A scale-up the provider is still carrying out: `count` nodes of `group` join at `readyAt`. */
export interface Provisioning {
  group: string;
  count: number;
  requestedAt: number;
  readyAt: number;
  /** The simulated cloud could not create these instances; the autoscaler learns it on its next loop. */
  error?: ScaleUpError;
  /** These instances start but their nodes never join: the request times out. */
  registers?: false;
}

export interface Draining {
  startedAt: number;
  /** Set while some eviction keeps being refused (PDB); the drain fails after 2 min of it. */
  evictionFailingSince?: number;
}

export interface NodeReport {
  node: string;
  group?: string;
  ready: boolean;
  utilization: { cpu: number; memory: number };
  /** True when the node is a scale-down candidate right now. */
  candidate: boolean;
  reason: string;
  message: string;
  blockingPod?: string;
  podsToMove: string[];
  unneededSince?: string;
  /** When it may be removed (unneeded time and cooldowns permitting). */
  removableAt?: string;
}

export interface PendingPodReport {
  namespace: string;
  name: string;
  outcome: PodOutcome;
  node?: string;
  /** Per node pool: why it cannot take the pod. */
  groups: Record<string, string>;
  message: string;
}

export interface GroupReport {
  name: string;
  minSize: number;
  maxSize: number;
  targetSize: number;
  registered: number;
  ready: number;
  upcoming: number;
  /** The group's scale-up condition in the status ConfigMap. */
  scaleUpStatus: 'NoActivity' | 'InProgress' | 'Backoff';
  /** Present while the group is backed off after a failed scale-up. */
  backoff?: { until: string; durationSeconds: number; errorClass: string; errorCode: string; errorMessage: string };
}

/** What `GET /v1/clusters/{id}/autoscaler/status` answers: the last loop's view of the cluster. */
export interface AutoscalerReport {
  at: string;
  dryRun: boolean;
  scaleUp: { status: 'NoActivity' | 'InProgress'; lastScaleUpTime?: string; options: { group: string; nodeCount: number; pods: number }[] };
  scaleDown: {
    status: 'NoCandidates' | 'CandidatesPresent' | 'InCooldown' | 'Disabled';
    candidates: number;
    cooldownUntil?: string;
    lastScaleDownTime?: string;
  };
  nodeGroups: GroupReport[];
  nodes: NodeReport[];
  pendingPods: PendingPodReport[];
}

/** What the cluster autoscaler remembers between loops (upstream keeps it in memory). */
export interface CaState {
  lastRunAt?: number;
  lastScaleUpAt?: number;
  lastScaleDownDeleteAt?: number;
  lastScaleDownFailAt?: number;
  unneededSince: Record<string, number>;
  provisioning: Provisioning[];
  draining: Record<string, Draining>;
  /** Node groups backed off after failed scale-ups (kept until they have not failed for the reset timeout). */
  backoff: Record<string, GroupBackoff>;
  /** Throttle of the priority expander's warnings, per reason and message. */
  priorityWarnings?: Record<string, number>;
  /** Throttle of NotTriggerScaleUp events per pod uid. */
  notTriggered: Record<string, { message: string; at: number }>;
  lastStatusWriteAt?: number;
  lastStatusText?: string;
  report?: AutoscalerReport;
}

export const emptyCaState = (): CaState => ({ unneededSince: {}, provisioning: [], draining: {}, backoff: {}, notTriggered: {} });
