import { termMatchesPod } from '../pod-info.ts';
import { unresolvable, unschedulable, type FilterPlugin } from '../plugin.ts';
import type { PodInfo } from '../types.ts';
import { domainKey, matchesAllTerms } from './inter-pod-affinity.ts';

interface FilterState {
  pod: PodInfo;
  /** Domains holding an existing pod whose required anti-affinity selects the incoming pod. */
  existingAnti: Map<string, number>;
  /** Domains holding pods that match all of the incoming pod's required affinity terms. */
  affinity: Map<string, number>;
  /** Domains holding pods that match one of its required anti-affinity terms. */
  anti: Map<string, number>;
  nsLabels: Map<string, Record<string, string>>;
}

const KEY = 'InterPodAffinity/filter';

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/**
 * Required pod affinity and anti-affinity by topology domain, plus the anti-affinity of pods
 * already running, which the incoming pod must not violate either.
 */
export const interPodAffinityFilter: FilterPlugin = {
  name: 'InterPodAffinity',
  preFilter(state, pod, snapshot) {
    const nsLabels = snapshot.namespaceLabels;
    const existingAnti = new Map<string, number>();
    for (const node of snapshot.nodes) {
      for (const other of node.podsWithRequiredAntiAffinity) {
        for (const t of other.requiredAntiAffinity) {
          const v = node.labels[t.topologyKey];
          if (v !== undefined && termMatchesPod(t, pod, nsLabels)) bump(existingAnti, domainKey(t.topologyKey, v));
        }
      }
    }
    const affinity = new Map<string, number>();
    const anti = new Map<string, number>();
    if (pod.requiredAffinity.length || pod.requiredAntiAffinity.length) {
      for (const node of snapshot.nodes) {
        for (const other of node.pods) {
          if (pod.requiredAffinity.length && matchesAllTerms(pod.requiredAffinity, other, nsLabels)) {
            for (const t of pod.requiredAffinity) {
              const v = node.labels[t.topologyKey];
              if (v !== undefined) bump(affinity, domainKey(t.topologyKey, v));
            }
          }
          for (const t of pod.requiredAntiAffinity) {
            const v = node.labels[t.topologyKey];
            if (v !== undefined && termMatchesPod(t, other, nsLabels)) bump(anti, domainKey(t.topologyKey, v));
          }
        }
      }
    }
    if (existingAnti.size === 0 && pod.requiredAffinity.length === 0 && anti.size === 0) return 'skip';
    state.write(KEY, { pod, existingAnti, affinity, anti, nsLabels } satisfies FilterState);
  },
  filter(state, _pod, node) {
    const s = state.read<FilterState>(KEY);
    if (!s) return null;
    if (s.pod.requiredAffinity.length) {
      let podsExist = true;
      for (const t of s.pod.requiredAffinity) {
        const v = node.labels[t.topologyKey];
        if (v === undefined) return unresolvable("node(s) didn't match pod affinity rules");
        if (!(s.affinity.get(domainKey(t.topologyKey, v))! > 0)) podsExist = false;
      }
      // The first pod of a group with affinity to itself may go anywhere that has the topology.
      if (!podsExist && !(s.affinity.size === 0 && matchesAllTerms(s.pod.requiredAffinity, s.pod, s.nsLabels))) {
        return unresolvable("node(s) didn't match pod affinity rules");
      }
    }
    for (const t of s.pod.requiredAntiAffinity) {
      const v = node.labels[t.topologyKey];
      if (v !== undefined && s.anti.get(domainKey(t.topologyKey, v))! > 0) return unschedulable("node(s) didn't match pod anti-affinity rules");
    }
    if (s.existingAnti.size) {
      for (const [k, v] of Object.entries(node.labels)) {
        if (s.existingAnti.get(domainKey(k, v))! > 0) return unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");
      }
    }
    return null;
  },
};
