import { termMatchesPod } from '../pod-info.ts';
import type { AffinityTerm, NodeInfo, PodInfo } from '../types.ts';

/** Key of a topology domain: label key and value. */
export const domainKey = (key: string, value: string): string => `${key}\u0000${value}`;

/** Whether `target` matches every term (the first-pod exception of required affinity). */
export function matchesAllTerms(terms: AffinityTerm[], target: PodInfo, nsLabels: Map<string, Record<string, string>>): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatchesPod(t, target, nsLabels)) return false;
  return true;
}

/** Adds `weight` to the domain of `node` for each term that selects `target`. */
export function addTermScores(
  scores: Map<string, number>,
  terms: AffinityTerm[],
  target: PodInfo,
  node: NodeInfo,
  nsLabels: Map<string, Record<string, string>>,
  multiplier: number,
  fixedWeight?: number,
): void {
  for (const t of terms) {
    if (!termMatchesPod(t, target, nsLabels)) continue;
    const v = node.labels[t.topologyKey];
    if (v === undefined) continue;
    const k = domainKey(t.topologyKey, v);
    scores.set(k, (scores.get(k) ?? 0) + (fixedWeight ?? t.weight) * multiplier);
  }
}
