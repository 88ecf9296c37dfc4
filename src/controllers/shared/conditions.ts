/** A status condition as workload kinds carry it. */
export interface Condition {
  type: string;
  // Upstream types it as a string; the three values are what kates writes.
  status: 'True' | 'False' | 'Unknown' | (string & {});
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
}

export function getCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

export function removeCondition(conditions: Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/**
 * Kubernetes' SetDeploymentCondition and friends: nothing changes when status and reason are the
 * same; lastTransitionTime survives a change that keeps the status; the new one goes last.
 */
export function setCondition(conditions: Condition[] | undefined, next: Condition): Condition[] {
  const list = conditions ?? [];
  const current = getCondition(list, next.type);
  if (current && current.status === next.status && current.reason === next.reason) return list;
  const cond = { ...next };
  if (current && current.status === next.status) cond.lastTransitionTime = current.lastTransitionTime;
  return [...removeCondition(list, next.type), cond];
}

/**
 * Like setCondition, but a new message also replaces the condition (Job and Namespace conditions
 * keep their message current); lastTransitionTime still only moves when the status does.
 */
export function upsertCondition(conditions: Condition[] | undefined, next: Condition): Condition[] {
  const list = conditions ?? [];
  const current = getCondition(list, next.type);
  if (current && current.status === next.status && current.reason === next.reason && current.message === next.message) return list;
  const cond = current && current.status === next.status ? { ...next, lastTransitionTime: current.lastTransitionTime } : next;
  return [...removeCondition(list, next.type), cond];
}
