import type { KubeObject } from '../../kube/types.ts';
import type { CreateAdmission } from '../shared/admission.ts';
import type { Pass } from '../shared/pass.ts';
import { rankPodsForDeletion } from '../replicaset/deletion-ranking.ts';
import { indexesToStart, podIndex } from './indexes.ts';
import { indexRetryAt, replacementAnnotations } from './per-index.ts';
import { createJobPods, deleteJobPods } from './pods.ts';
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

/**
 * manageJob: keep min(parallelism, remaining) pods running. A work queue (no completions) starts
 * no new pod once one has succeeded. Indexed Jobs run one pod per pending index, lowest first,
 * and drop duplicates and pods for indexes already done or failed. Creation waits out the failure
 * back-off (per index with backoffLimitPerIndex).
 */
export async function managePods(pass: Pass, job: KubeObject, p: JobParams, input: ManageInput, admission: CreateAdmission): Promise<{ active: KubeObject[]; terminating: number }> {
  const { active, completed, failedIndexes } = input;
  const settled = (idx: number) => completed.has(idx) || !!failedIndexes?.has(idx);
  let surplus: KubeObject[] = [];
  let toCreate = 0;
  let indexes: number[] | undefined;
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
    for (const dup of byIndex.values()) surplus.push(...rankPodsForDeletion(dup, dup, pass.nowMs).slice(0, dup.length - 1));
    const want = Math.max(0, Math.min(p.parallelism, completions - completed.size));
    const running = [...byIndex.keys()].sort((a, b) => a - b);
    if (running.length > want) {
      for (const idx of running.slice(want)) surplus.push(...byIndex.get(idx)!);
    } else {
      const busy = new Set([...running, ...input.terminating.map(podIndex).filter((i): i is number => i !== undefined), ...(failedIndexes ?? [])]);
      indexes = indexesToStart(completions, completed, busy, Math.max(0, want - running.length - input.terminating.length));
      if (input.awaiting) indexes = dueIndexes(pass, indexes, input.awaiting);
      toCreate = indexes.length;
    }
  } else {
    let want: number;
    if (p.completions === undefined) want = input.succeeded > 0 ? active.length : p.parallelism;
    else want = Math.max(0, Math.min(p.parallelism, p.completions - input.succeeded));
    if (active.length > want) surplus = rankPodsForDeletion(active, active, pass.nowMs).slice(0, active.length - want);
    else toCreate = Math.max(0, want - active.length - input.terminating.length);
  }

  let remaining = active;
  let terminating = 0;
  if (surplus.length) {
    const result = await deleteJobPods(pass, job, surplus);
    remaining = active.filter((pod) => !result.has(pod.metadata.uid!));
    terminating = [...result.values()].filter((s) => s === 'terminating').length;
  }
  if (toCreate > 0 && input.mayCreate) {
    const annotate = input.awaiting ? (idx: number) => replacementAnnotations(job, input.awaiting!.get(idx)) : undefined;
    const created = await createJobPods(pass, job, toCreate, indexes, admission, annotate);
    remaining = [...remaining, ...created];
  }
  return { active: remaining, terminating };
}

/** The indexes whose own back-off is over; when none is, wake when the first one's ends. */
function dueIndexes(pass: Pass, indexes: number[], awaiting: Map<number, KubeObject>): number[] {
  const due = indexes.filter((idx) => indexRetryAt(awaiting.get(idx)) <= pass.nowMs);
  if (due.length === 0 && indexes.length > 0) pass.wakeAt(Math.min(...indexes.map((idx) => indexRetryAt(awaiting.get(idx)))));
  return due;
}
