/**
 * Status conditions, one rule for every kind (apimachinery's meta.SetStatusCondition and the
 * per-kind setters built on it): a condition's lastTransitionTime moves only when its status does.
 * The setters differ only in where a changed condition goes and when a change is no change at all.
 */

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

/** What the rule reads of a condition, whatever else its kind carries (heartbeats, observedGeneration). */
interface ConditionLike {
  type?: string;
  status?: string;
  lastTransitionTime?: string;
}

export function getCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

export function removeCondition(conditions: Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/** `next` as it is stored over `current`: with current's lastTransitionTime when the status stays. */
export function transitioned<C extends ConditionLike>(current: ConditionLike | undefined, next: C): C {
  return current && current.status === next.status ? { ...next, lastTransitionTime: current.lastTransitionTime } : next;
}

/**
 * apimachinery's SetStatusCondition (and the kubelet's and scheduler's UpdatePodCondition): `next`
 * takes the place of the condition of its type, or goes last when there is none.
 */
export function replaceCondition<C extends ConditionLike>(conditions: C[] | undefined, next: C): C[] {
  const list = conditions ?? [];
  const i = list.findIndex((c) => c.type === next.type);
  if (i < 0) return [...list, next];
  return list.map((c, j) => (j === i ? transitioned(c, next) : c));
}

/**
 * Kubernetes' SetDeploymentCondition and friends: nothing changes when status and reason are the
 * same; lastTransitionTime survives a change that keeps the status; the new one goes last.
 */
export function setCondition(conditions: Condition[] | undefined, next: Condition): Condition[] {
  const list = conditions ?? [];
  const current = getCondition(list, next.type);
  if (current && current.status === next.status && current.reason === next.reason) return list;
  return [...removeCondition(list, next.type), transitioned(current, next)];
}

/**
 * Like setCondition, but a new message also replaces the condition (Job and Namespace conditions
 * keep their message current); lastTransitionTime still only moves when the status does.
 */
export function upsertCondition(conditions: Condition[] | undefined, next: Condition): Condition[] {
  const list = conditions ?? [];
  const current = getCondition(list, next.type);
  if (current && current.status === next.status && current.reason === next.reason && current.message === next.message) return list;
  return [...removeCondition(list, next.type), transitioned(current, next)];
}
