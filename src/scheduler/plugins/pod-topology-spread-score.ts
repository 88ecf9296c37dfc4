import { MAX_NODE_SCORE, type ScorePlugin } from '../plugin.ts';
import type { LabelMatcher } from '../../kube/selectors/labels.ts';
import type { NodeInfo } from '../types.ts';
import {
  HOSTNAME_LABEL,
  countMatching,
  defaultConstraints,
  hasAllTopologyKeys,
  nodeIncluded,
  podAffinityMatcher,
  podConstraints,
  sharedDomainCounts,
  type SpreadConstraint,
} from './pod-topology-spread.ts';

interface ScoreState {
  constraints: SpreadConstraint[];
  namespace: string;
  /** Nodes missing a topology key of the pod's own constraints: scored 0. */
  ignored: Set<string>;
  /** Per constraint (not hostname): topology value → matching pods. */
  counts: Map<string, number>[];
  /** ln(number of domains + 2), so small topologies are not drowned by large ones. */
  weights: number[];
  /** Matching pods per node, per selector: the hostname and zone defaults share one selector. */
  perNode: Map<LabelMatcher, Map<NodeInfo, number>>;
}

const KEY = 'PodTopologySpread/score';

function matchingOn(s: ScoreState, c: SpreadConstraint, node: NodeInfo): number {
  let memo = s.perNode.get(c.matches);
  if (!memo) s.perNode.set(c.matches, (memo = new Map()));
  let n = memo.get(node);
  if (n === undefined) memo.set(node, (n = countMatching(node, c.matches, s.namespace)));
  return n;
}

/**
 * ScheduleAnyway constraints (or the system defaults): raw score = Σ matching pods in the node's
 * domain × ln(domains + 2) + (maxSkew − 1); fewer matching pods scores higher after normalising.
 */
export const podTopologySpreadScore: ScorePlugin = {
  name: 'PodTopologySpread',
  preScore(state, pod, nodes, snapshot) {
    const own = (pod.pod.spec?.topologySpreadConstraints?.length ?? 0) > 0;
    const constraints = own ? podConstraints(pod, 'ScheduleAnyway') : defaultConstraints(pod, snapshot);
    if (constraints.length === 0) return 'skip';
    // Only the pod's own constraints require every key; system defaults still spread by hostname without zones.
    const requireAll = own;
    const s: ScoreState = {
      constraints,
      namespace: pod.namespace,
      ignored: new Set(),
      counts: constraints.map(() => new Map()),
      weights: [],
      perNode: new Map(),
    };
    for (const node of nodes) {
      if (requireAll && !hasAllTopologyKeys(node, constraints)) {
        s.ignored.add(node.name);
        continue;
      }
      for (let i = 0; i < constraints.length; i++) {
        const v = node.labels[constraints[i].topologyKey];
        if (constraints[i].topologyKey !== HOSTNAME_LABEL && v !== undefined && !s.counts[i].has(v)) s.counts[i].set(v, 0);
      }
    }
    s.weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME_LABEL ? nodes.length - s.ignored.size : s.counts[i].size) + 2));
    const zonal = constraints.some((c) => c.topologyKey !== HOSTNAME_LABEL);
    const affinity = zonal ? podAffinityMatcher(pod) : undefined;
    // Shared selectors and no node-affinity restriction: every node counts, so the cached counts apply.
    const cached = zonal && !affinity && constraints.every((c) => c.shared && !c.honorNodeTaints);
    if (cached) {
      for (let i = 0; i < constraints.length; i++) {
        if (constraints[i].topologyKey === HOSTNAME_LABEL) continue;
        const all = sharedDomainCounts(snapshot, constraints[i], pod.namespace);
        for (const v of s.counts[i].keys()) s.counts[i].set(v, all.get(v) ?? 0);
      }
    }
    for (const node of zonal && !cached ? snapshot.nodes : []) {
      if (requireAll && !hasAllTopologyKeys(node, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i];
        if (c.topologyKey === HOSTNAME_LABEL) continue;
        const v = node.labels[c.topologyKey];
        if (v === undefined || !s.counts[i].has(v) || !nodeIncluded(c, pod, node, affinity)) continue;
        s.counts[i].set(v, s.counts[i].get(v)! + matchingOn(s, c, node));
      }
    }
    state.write(KEY, s);
  },
  score(state, _pod, node) {
    const s = state.read<ScoreState>(KEY)!;
    if (s.ignored.has(node.name)) return 0;
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const v = node.labels[c.topologyKey];
      if (v === undefined) continue;
      const cnt = c.topologyKey === HOSTNAME_LABEL ? matchingOn(s, c, node) : (s.counts[i].get(v) ?? 0);
      score += cnt * s.weights[i] + (c.maxSkew - 1);
    }
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
