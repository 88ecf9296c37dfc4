/**
 * Node taints and pod tolerations (core/v1), one model for the scheduler, the DaemonSet
 * controller and the simulated kubelet's taint eviction.
 */
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect | string;
  /** When a NoExecute taint was added: tolerationSeconds count from here. */
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal' | string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/**
 * core/v1 Toleration.ToleratesTaint: an empty effect matches every effect; an empty key with
 * `Exists` matches every key; `Equal` (the default) compares values, `Exists` ignores them.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if ((t.key ?? '') !== taint.key) {
    if (!(t.operator === 'Exists' && !t.key)) return false;
  }
  if (t.operator === 'Exists') return true;
  if (!t.operator || t.operator === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

export function toleratedBy(taint: Taint, tolerations: Toleration[]): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** The first taint (in node order) passing `relevant` that no toleration tolerates. */
export function findUntoleratedTaint(taints: Taint[], tolerations: Toleration[], relevant: (t: Taint) => boolean): Taint | undefined {
  for (const taint of taints) {
    if (!relevant(taint)) continue;
    if (!toleratedBy(taint, tolerations)) return taint;
  }
  return undefined;
}

export const isHardTaint = (t: Taint): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';
