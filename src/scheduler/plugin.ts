import type { NodeInfo, PodInfo, Snapshot } from './types.ts';

/** The highest score a plugin gives a node after normalisation. */
export const MAX_NODE_SCORE = 100;

/**
 * `Unschedulable` failures may be fixed by preempting pods on the node; `UnschedulableAndUnresolvable`
 * ones (taints, node affinity, node name...) cannot, so preemption skips those nodes.
 */
export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface Status {
  code: StatusCode;
  reasons: string[];
  plugin?: string;
}

export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });

/** Per-pod scratch space shared by a plugin's PreFilter/Filter and PreScore/Score calls. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Filter plugins whose PreFilter found nothing to check for this pod. */
  readonly skipFilter = new Set<string>();

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
}

/** What a PreFilter may answer: nothing to check ('skip'), a rejection of the pod, or the only nodes worth filtering. */
export type PreFilterOutcome = 'skip' | Status | { nodeNames: Set<string> } | void;

export interface FilterPlugin {
  readonly name: string;
  preFilter?(state: CycleState, pod: PodInfo, snapshot: Snapshot): PreFilterOutcome;
  /** null when the node passes. */
  filter(state: CycleState, pod: PodInfo, node: NodeInfo, snapshot: Snapshot): Status | null;
}

export interface ScorePlugin {
  readonly name: string;
  /** 'skip' leaves every node at 0 for this plugin (nothing to score for the pod). */
  preScore?(state: CycleState, pod: PodInfo, nodes: NodeInfo[], snapshot: Snapshot): 'skip' | void;
  score(state: CycleState, pod: PodInfo, node: NodeInfo, snapshot: Snapshot): number;
  /** Rescales raw scores in place to 0–100. */
  normalize?(state: CycleState, scores: number[], nodes: NodeInfo[]): void;
}

/**
 * The scheduler's DefaultNormalizeScore: scale so the best node gets 100 (integer division);
 * `reverse` makes the lowest raw score best. With every raw score 0, all get 0 (100 if reversed).
 */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc((MAX_NODE_SCORE * scores[i]) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
