import { MAX_NODE_SCORE, type ScorePlugin } from '../plugin.ts';
import { addTermScores, domainKey } from './inter-pod-affinity.ts';

/** Existing pods' required affinity terms that select the incoming pod count with this weight. */
export const HARD_POD_AFFINITY_WEIGHT = 1;

const KEY = 'InterPodAffinity/score';

/**
 * Preferred affinity (+weight) and anti-affinity (−weight) of the incoming pod toward existing pods,
 * and symmetrically of existing pods toward it, summed per topology domain; min–max normalised.
 */
export const interPodAffinityScore: ScorePlugin = {
  name: 'InterPodAffinity',
  preScore(state, pod, _nodes, snapshot) {
    const nsLabels = snapshot.namespaceLabels;
    const ownPreferred = pod.preferredAffinity.length + pod.preferredAntiAffinity.length > 0;
    const scores = new Map<string, number>();
    for (const node of snapshot.nodes) {
      // Without preferred terms of its own, only pods carrying affinity terms can matter.
      const candidates = ownPreferred ? node.pods : node.podsWithAffinity;
      for (const existing of candidates) {
        addTermScores(scores, pod.preferredAffinity, existing, node, nsLabels, 1);
        addTermScores(scores, pod.preferredAntiAffinity, existing, node, nsLabels, -1);
        addTermScores(scores, existing.requiredAffinity, pod, node, nsLabels, 1, HARD_POD_AFFINITY_WEIGHT);
        addTermScores(scores, existing.preferredAffinity, pod, node, nsLabels, 1);
        addTermScores(scores, existing.preferredAntiAffinity, pod, node, nsLabels, -1);
      }
    }
    if (scores.size === 0) return 'skip';
    const keys = new Set<string>();
    for (const k of scores.keys()) keys.add(k.slice(0, k.indexOf('\u0000')));
    state.write(KEY, { scores, keys: [...keys] });
  },
  score(state, _pod, node) {
    const s = state.read<{ scores: Map<string, number>; keys: string[] }>(KEY)!;
    let total = 0;
    for (const k of s.keys) {
      const v = node.labels[k];
      if (v !== undefined) total += s.scores.get(domainKey(k, v)) ?? 0;
    }
    return total;
  },
  normalize(_state, scores) {
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i] - min)) / diff) : 0;
  },
};
