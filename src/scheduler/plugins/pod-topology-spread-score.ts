import { MAX_NODE_SCORE, type ScorePlugin } from '../plugin.ts';
import type { NodeInfo } from '../types.ts';
import {
  HOSTNAME_LABEL, countMatching, defaultConstraints, hasAllTopologyKeys, nodeIncluded, podAffinityMatcher, podConstraints, type SpreadConstraint,
} from './pod-topology-spread.ts';

interface ScoreState {
  constraints: SpreadConstraint[];
  /** Nodes missing a topology key of the pod's own constraints: scored 0. */
  ignored: Set<string>;
  /** Per constraint (not hostname): topology value → matching pods. */
  counts: Map<string, number>[];
  /** ln(number of domains + 2), so small topologies are not drowned by large ones. */
  weights: number[];
}

const KEY = 'PodTopologySpread/score';

/**
 * ScheduleAnyway constraints (or the system defaults): raw score = Σ matching pods in the node's
 * domain × ln(domains + 2) + (maxSkew − 1); fewer matching pods scores higher after normalising.
 */
export const podTopologySpreadScore: ScorePlugin = {
  name: 'PodTopologySpread',
  preScore(state, pod, nodes, snapshot) {
    const own = pod.pod.spec?.topologySpreadConstraints?.length > 0;
    const constraints = own ? podConstraints(pod, 'ScheduleAnyway') : defaultConstraints(pod, snapshot);
    if (constraints.length === 0) return 'skip';
    // Only the pod's own constraints require every key; system defaults still spread by hostname without zones.
    const requireAll = own;
    const ignored = new Set<string>();
    const counts = constraints.map(() => new Map<string, number>());
    for (const node of nodes) {
      if (requireAll && !hasAllTopologyKeys(node, constraints)) {
        ignored.add(node.name);
        continue;
      }
      constraints.forEach((c, i) => {
        const v = node.labels[c.topologyKey];
        if (c.topologyKey !== HOSTNAME_LABEL && v !== undefined && !counts[i].has(v)) counts[i].set(v, 0);
      });
    }
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME_LABEL ? nodes.length - ignored.size : counts[i].size) + 2));
    const affinity = podAffinityMatcher(pod);
    for (const node of snapshot.nodes) {
      if (requireAll && !hasAllTopologyKeys(node, constraints)) continue;
      constraints.forEach((c, i) => {
        if (c.topologyKey === HOSTNAME_LABEL || !nodeIncluded(c, pod, node, affinity)) return;
        const v = node.labels[c.topologyKey];
        if (v === undefined || !counts[i].has(v)) return;
        counts[i].set(v, counts[i].get(v)! + countMatching(node, c.matches, pod.namespace));
      });
    }
    state.write(KEY, { constraints, ignored, counts, weights } satisfies ScoreState);
  },
  score(state, pod, node) {
    const s = state.read<ScoreState>(KEY)!;
    if (s.ignored.has(node.name)) return 0;
    let score = 0;
    s.constraints.forEach((c, i) => {
      const v = node.labels[c.topologyKey];
      if (v === undefined) return;
      const cnt = c.topologyKey === HOSTNAME_LABEL ? countMatching(node, c.matches, pod.namespace) : (s.counts[i].get(v) ?? 0);
      score += cnt * s.weights[i] + (c.maxSkew - 1);
    });
    return Math.round(score);
  },
  normalize(state, scores, nodes: NodeInfo[]) {
    const s = state.read<ScoreState>(KEY)!;
    let min = Infinity;
    let max = 0;
    nodes.forEach((n, i) => {
      if (s.ignored.has(n.name)) return;
      min = Math.min(min, scores[i]);
      max = Math.max(max, scores[i]);
    });
    nodes.forEach((n, i) => {
      if (s.ignored.has(n.name)) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
    });
  },
};
