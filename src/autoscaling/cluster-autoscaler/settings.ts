import type { Provider } from '../../billing/catalog.ts';
import type { BackoffPolicy } from './backoff.ts';

export const EXPANDERS = ['least-waste', 'most-pods', 'price', 'random', 'least-nodes', 'priority'] as const;
export type ExpanderName = (typeof EXPANDERS)[number];

/**
 * The cluster autoscaler's flags for one cluster (kept under `autoscaler` in the cluster's settings
 * JSON). Defaults are cluster-autoscaler's (k8s-behavior §15).
 */
export interface AutoscalerSettings {
  /** One expander or a chain ("price,least-waste"): each narrows the options, a random pick breaks the last tie. */
  expander: string;
  scanIntervalSeconds: number;
  scaleDownEnabled: boolean;
  scaleDownUtilizationThreshold: number;
  scaleDownUnneededTimeSeconds: number;
  scaleDownUnreadyTimeSeconds: number;
  scaleDownDelayAfterAddSeconds: number;
  /** 0 means the scan interval, as upstream. */
  scaleDownDelayAfterDeleteSeconds: number;
  scaleDownDelayAfterFailureSeconds: number;
  maxEmptyBulkDelete: number;
  maxGracefulTerminationSeconds: number;
  /** Nodes not registered this long after the scale-up are given up: the group backs off. */
  maxNodeProvisionTimeSeconds: number;
  /** Back-off of a node group after a failed scale-up: first duration, cap, and quiet time that resets it. */
  initialNodeGroupBackoffDurationSeconds: number;
  maxNodeGroupBackoffDurationSeconds: number;
  nodeGroupBackoffResetTimeoutSeconds: number;
  newPodScaleUpDelaySeconds: number;
  /** 0 = unlimited (the tenant plan's node quota still applies). */
  maxNodesTotal: number;
  skipNodesWithLocalStorage: boolean;
  skipNodesWithSystemPods: boolean;
  ignoreDaemonSetsUtilization: boolean;
  /** How long a new node takes to boot and register; the provider's typical time when unset. */
  provisioningDelaySeconds?: number;
  /** Decide and record, but change nothing. */
  dryRun: boolean;
}

export const DEFAULT_SETTINGS: AutoscalerSettings = {
  expander: 'least-waste',
  scanIntervalSeconds: 10,
  scaleDownEnabled: true,
  scaleDownUtilizationThreshold: 0.5,
  scaleDownUnneededTimeSeconds: 600,
  scaleDownUnreadyTimeSeconds: 1200,
  scaleDownDelayAfterAddSeconds: 600,
  scaleDownDelayAfterDeleteSeconds: 0,
  scaleDownDelayAfterFailureSeconds: 180,
  maxEmptyBulkDelete: 10,
  maxGracefulTerminationSeconds: 600,
  maxNodeProvisionTimeSeconds: 900,
  initialNodeGroupBackoffDurationSeconds: 300,
  maxNodeGroupBackoffDurationSeconds: 1800,
  nodeGroupBackoffResetTimeoutSeconds: 10_800,
  newPodScaleUpDelaySeconds: 0,
  maxNodesTotal: 0,
  skipNodesWithLocalStorage: true,
  skipNodesWithSystemPods: true,
  ignoreDaemonSetsUtilization: false,
  dryRun: false,
};

/**
 * Typical time from "increase the group" to a Ready node, by provider (managed node groups on EKS
 * are the slowest to join, GKE the fastest). Not from the shared docs: an assumption, overridable
 * per cluster with `provisioningDelaySeconds`.
 */
export const PROVISIONING_DELAY_SECONDS: Record<Provider, number> = { eks: 120, gke: 90, aks: 150 };

/** The effective settings of a cluster from its settings JSON. */
export function autoscalerSettings(settingsJson: string): AutoscalerSettings {
  let raw: unknown;
  try {
    raw = (JSON.parse(settingsJson) as { autoscaler?: unknown }).autoscaler;
  } catch {
    raw = undefined;
  }
  const out: AutoscalerSettings = { ...DEFAULT_SETTINGS };
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) {
      if (k in DEFAULT_SETTINGS || k === 'provisioningDelaySeconds') (out as unknown as Record<string, unknown>)[k] = v;
    }
  }
  return out;
}

export function provisioningDelayMs(settings: AutoscalerSettings, provider: string): number {
  const s = settings.provisioningDelaySeconds ?? PROVISIONING_DELAY_SECONDS[provider as Provider] ?? 120;
  return s * 1000;
}

export function backoffPolicy(settings: AutoscalerSettings): BackoffPolicy {
  return {
    initialMs: settings.initialNodeGroupBackoffDurationSeconds * 1000,
    maxMs: settings.maxNodeGroupBackoffDurationSeconds * 1000,
    resetMs: settings.nodeGroupBackoffResetTimeoutSeconds * 1000,
  };
}

/** Names of the expanders in a chain; unknown names are dropped, least-waste when none is left. */
export function expanderChain(expander: string): ExpanderName[] {
  const names = expander
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is ExpanderName => (EXPANDERS as readonly string[]).includes(s));
  return names.length ? names : ['least-waste'];
}
