import type { KubeObject } from '../../kube/types.ts';
import type { CreateAdmission } from '../shared/admission.ts';
import type { Pass } from '../shared/pass.ts';
import { rankPodsForDeletion } from '../replicaset/deletion-ranking.ts';
import { indexesToStart, podIndex } from './indexes.ts';
import { createJobPods, deleteJobPods } from './pods.ts';
import type { JobParams } from './spec.ts';

/**
 * manageJob: keep min(parallelism, remaining) pods running. A work queue (no completions) starts
 * no new pod once one has succeeded. Indexed Jobs run one pod per pending index, lowest first,
 * and drop duplicates and pods for indexes already done. Creation waits out the failure back-off.
 */
export async function managePods(
  pass: Pass,
  job: KubeObject,
  p: JobParams,
  active: KubeObject[],
  succeeded: number,
  completed: Set<number>,
  mayCreate: boolean,
  admission: CreateAdmission,
): Promise<{ active: KubeObject[]; terminating: number }> {
  let surplus: KubeObject[] = [];
  let toCreate = 0;
  let indexes: number[] | undefined;
  if (p.indexed) {
    const completions = p.completions ?? 0;
    const byIndex = new Map<number, KubeObject[]>();
    for (const pod of active) {
      const idx = podIndex(pod);
      if (idx === undefined || idx >= completions || completed.has(idx)) {
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
      indexes = indexesToStart(completions, completed, new Set(running), want - running.length);
      toCreate = indexes.length;
    }
  } else {
    let want: number;
    if (p.completions === undefined) want = succeeded > 0 ? active.length : p.parallelism;
    else want = Math.max(0, Math.min(p.parallelism, p.completions - succeeded));
    if (active.length > want) surplus = rankPodsForDeletion(active, active, pass.nowMs).slice(0, active.length - want);
    else toCreate = want - active.length;
  }

  let remaining = active;
  let terminating = 0;
  if (surplus.length) {
    const result = await deleteJobPods(pass, job, surplus);
    remaining = active.filter((pod) => !result.has(pod.metadata.uid!));
    terminating = [...result.values()].filter((s) => s === 'terminating').length;
  }
  if (toCreate > 0 && mayCreate) {
    const created = await createJobPods(pass, job, toCreate, indexes, admission);
    remaining = [...remaining, ...created];
  }
  return { active: remaining, terminating };
}
