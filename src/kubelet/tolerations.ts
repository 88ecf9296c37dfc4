import type { PodSpec } from '../kube/objects.ts';
import { toleratesTaint, type Taint, type Toleration } from '../kube/tolerations.ts';

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
/** DefaultTolerationSeconds admission: 300 s for not-ready and unreachable (k8s-behavior §0). */
export const DEFAULT_TOLERATION_SECONDS = 300;

/**
 * The DefaultTolerationSeconds admission plugin: a pod that does not already tolerate the
 * not-ready / unreachable NoExecute taints gets tolerations for them with 300 s.
 */
export function withDefaultTolerations(tolerations: Toleration[] | undefined): Toleration[] {
  const out = [...(tolerations ?? [])];
  for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
    const probe: Taint = { key, effect: 'NoExecute' };
    if (!out.some((t) => toleratesTaint(t, probe))) {
      out.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  return out;
}

/**
 * When NoExecute taints evict a pod (the taint eviction controller): now if one is not tolerated;
 * otherwise the smallest tolerationSeconds among the tolerations in use, counted from the first
 * taint's timeAdded; never when none of them limits the time. Returns ms, or undefined for never.
 */
export function evictionTime(pod: { spec?: Pick<PodSpec, 'tolerations'> } | undefined, taints: Taint[], now: number): number | undefined {
  const tolerations = withDefaultTolerations(pod?.spec?.tolerations);
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return undefined;
  const used = new Set<Toleration>();
  for (const taint of noExecute) {
    const matching = tolerations.filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) return now;
    matching.forEach((t) => used.add(t));
  }
  const limits = [...used].filter((t) => typeof t.tolerationSeconds === 'number').map((t) => Math.max(0, t.tolerationSeconds!));
  if (limits.length === 0) return undefined;
  const since = Math.min(...noExecute.map((t) => Date.parse(t.timeAdded ?? '') || now));
  return since + Math.min(...limits) * 1000;
}
