import { unresolvable, unschedulable, type FilterPlugin } from '../plugin.ts';
import { countMatching, hasAllTopologyKeys, nodeIncluded, podAffinityMatcher, podConstraints, type SpreadConstraint } from './pod-topology-spread.ts';

interface FilterState {
  constraints: SpreadConstraint[];
  /** Per constraint: topology value → matching pods in that domain. */
  counts: Map<string, number>[];
  /** Per constraint: the global minimum used for skew (0 while fewer than minDomains domains exist). */
  minMatch: number[];
}

const KEY = 'PodTopologySpread/filter';

/**
 * DoNotSchedule constraints: placing the pod must keep `count(domain) + self − globalMin ≤ maxSkew`.
 * Domains come from nodes that carry every topology key and pass the inclusion policies.
 */
export const podTopologySpreadFilter: FilterPlugin = {
  name: 'PodTopologySpread',
  preFilter(state, pod, snapshot) {
    const constraints = podConstraints(pod, 'DoNotSchedule');
    if (constraints.length === 0) return 'skip';
    const affinity = podAffinityMatcher(pod);
    const counts = constraints.map(() => new Map<string, number>());
    for (const node of snapshot.nodes) {
      if (!hasAllTopologyKeys(node, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!nodeIncluded(c, pod, node, affinity)) return;
        const v = node.labels[c.topologyKey];
        counts[i].set(v, (counts[i].get(v) ?? 0) + countMatching(node, c.matches, pod.namespace));
      });
    }
    const minMatch = constraints.map((c, i) => {
      if (counts[i].size < c.minDomains) return 0;
      let min = Infinity;
      for (const n of counts[i].values()) if (n < min) min = n;
      return min === Infinity ? 0 : min;
    });
    state.write(KEY, { constraints, counts, minMatch } satisfies FilterState);
  },
  filter(state, pod, node) {
    const s = state.read<FilterState>(KEY);
    if (!s) return null;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const value = node.labels[c.topologyKey];
      if (value === undefined) return unresolvable("node(s) didn't match pod topology spread constraints (missing required label)");
      const self = c.matches(pod.labels) ? 1 : 0;
      const skew = (s.counts[i].get(value) ?? 0) + self - s.minMatch[i];
      if (skew > c.maxSkew) return unschedulable("node(s) didn't match pod topology spread constraints");
    }
    return null;
  },
};
