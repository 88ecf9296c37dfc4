import type { KubeObject } from '../../kube/types.ts';
import { rankPodsForDeletion } from '../replicaset/deletion-ranking.ts';
import { indexesToStart, podIndex } from './indexes.ts';
import { indexRetryAt, replacementAnnotations } from './per-index.ts';
import type { JobParams } from './spec.ts';

/** What manageJob works from. */
export interface ManageInput {
  active: KubeObject[];
  /** Pods being deleted that still hold their slot (podReplacementPolicy Failed, or a failure policy). */
  terminating: KubeObject[];
  succeeded: number;
  completed: Set<number>;
  /** backoffLimitPerIndex: indexes that failed for good and are never retried. */
  failedIndexes?: Set<number>;
  /** backoffLimitPerIndex: per index to retry, the failed pod its replacement inherits counts from. */
  awaiting?: Map<number, KubeObject>;
  /** The Job-wide failure back-off is over. */
  mayCreate: boolean;
}

/** Pods a Job should create: `count` new ones, for Indexed Jobs one per listed index (lowest first). */
export interface PodCreation {
  count: number;
  indexes?: number[];
  /** backoffLimitPerIndex: the failure-count annotations of each index's new pod. */
  annotations?: Map<number, Record<string, string>>;
}

export interface PodPlan {
  /** Active pods to delete, the most expendable first. */
  surplus: KubeObject[];
  create?: PodCreation;
  /** When an index's own back-off ends and nothing is due before. */
  wakeAt?: number;
}

/**
 * manageJob: keep min(parallelism, remaining) pods running. A work queue (no completions) starts
 * no new pod once one has succeeded. Indexed Jobs run one pod per pending index, lowest first,
 * and drop duplicates and pods for indexes already done or failed. Creation waits out the failure
 * back-off (per index with backoffLimitPerIndex).
 */
export function planPods(job: KubeObject, p: JobParams, input: ManageInput, nowMs: number): PodPlan {
  const { active, completed, failedIndexes } = input;
  const settled = (idx: number) => completed.has(idx) || !!failedIndexes?.has(idx);
  let surplus: KubeObject[] = [];
  let toCreate = 0;
  let indexes: number[] | undefined;
  let wakeAt: number | undefined;
  if (p.indexed) {
    const completions = p.completions ?? 0;
    const byIndex = new Map<number, KubeObject[]>();
    for (const pod of active) {
      const idx = podIndex(pod);
      if (idx === undefined || idx >= completions || settled(idx)) {
        surplus.push(pod);
        continue;
      }
      byIndex.set(idx, [...(byIndex.get(idx) ?? []), pod]);
    }
    for (const dup of byIndex.values()) surplus.push(...rankPodsForDeletion(dup, dup, nowMs).slice(0, dup.length - 1));
    const want = Math.max(0, Math.min(p.parallelism, completions - completed.size));
    const running = [...byIndex.keys()].sort((a, b) => a - b);
    if (running.length > want) {
      for (const idx of running.slice(want)) surplus.push(...byIndex.get(idx)!);
    } else {
      const busy = new Set([...running, ...input.terminating.map(podIndex).filter((i): i is number => i !== undefined), ...(failedIndexes ?? [])]);
      indexes = indexesToStart(completions, completed, busy, Math.max(0, want - running.length - input.terminating.length));
      if (input.awaiting) ({ indexes, wakeAt } = dueIndexes(indexes, input.awaiting, nowMs));
      toCreate = indexes.length;
    }
  } else {
    let want: number;
    if (p.completions === undefined) want = input.succeeded > 0 ? active.length : p.parallelism;
    else want = Math.max(0, Math.min(p.parallelism, p.completions - input.succeeded));
    if (active.length > want) surplus = rankPodsForDeletion(active, active, nowMs).slice(0, active.length - want);
    else toCreate = Math.max(0, want - active.length - input.terminating.length);
  }

  const plan: PodPlan = { surplus, wakeAt };
  if (toCreate > 0 && input.mayCreate) {
    plan.create = { count: toCreate, indexes };
    const awaiting = input.awaiting;
    if (awaiting && indexes) plan.create.annotations = new Map(indexes.map((idx) => [idx, replacementAnnotations(job, awaiting.get(idx))]));
  }
  return plan;
}

/** The indexes whose own back-off is over; when none is, the time the first one's ends. */
function dueIndexes(indexes: number[], awaiting: Map<number, KubeObject>, nowMs: number): { indexes: number[]; wakeAt?: number } {
  const due = indexes.filter((idx) => indexRetryAt(awaiting.get(idx)) <= nowMs);
  if (due.length === 0 && indexes.length > 0) return { indexes: due, wakeAt: Math.min(...indexes.map((idx) => indexRetryAt(awaiting.get(idx)))) };
  return { indexes: due };
}
