import type { Status } from './plugin.ts';

export interface Diagnosis {
  numAllNodes: number;
  /** A PreFilter rejection: then it is the only filter part of the message. */
  preFilterStatus?: Status;
  statuses: Map<string, Status>;
  /** Status of the nodes not in `statuses` (excluded up front). */
  absentStatus?: Status;
}

/** "<count> <reason>" for every reason over all nodes, sorted as strings (so "10 …" sorts before "2 …"). */
export function reasonHistogram(d: Diagnosis): string[] {
  const counts = new Map<string, number>();
  for (const s of d.statuses.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const absent = d.numAllNodes - d.statuses.size;
  if (d.absentStatus && absent > 0) for (const r of d.absentStatus.reasons) counts.set(r, (counts.get(r) ?? 0) + absent);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort();
}

/**
 * kube-scheduler's FitError text: `0/<N> nodes are available: <PreFilter message or the sorted
 * reason histogram>.` followed by the PostFilter (preemption) message when there is one.
 */
export function fitErrorMessage(d: Diagnosis, postFilterMessage = ''): string {
  let msg = `0/${d.numAllNodes} nodes are available:`;
  if (d.preFilterStatus) {
    msg += ` ${d.preFilterStatus.reasons.join(', ')}.`;
  } else {
    const parts = reasonHistogram(d);
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  if (postFilterMessage) msg += ` ${postFilterMessage}`;
  return msg;
}
