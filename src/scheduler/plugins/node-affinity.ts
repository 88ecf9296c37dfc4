import { compileNodeSelectorTerm, pinnedNodeNames, requiredNodeAffinity, type NodeMatcher } from '../../kube/selectors/node-selector.ts';
import { defaultNormalize, unresolvable, type FilterPlugin, type ScorePlugin } from '../plugin.ts';

const REQUIRED_KEY = 'NodeAffinity/required';
const PREFERRED_KEY = 'NodeAffinity/preferred';

/**
 * `nodeSelector` AND required node affinity. Pods pinned with `matchFields metadata.name` (DaemonSet
 * pods) narrow the nodes in PreFilter, as Kubernetes does; the others are reported as
 * "node(s) didn't satisfy plugin(s) [NodeAffinity]".
 */
export const nodeAffinityFilter: FilterPlugin = {
  name: 'NodeAffinity',
  preFilter(state, pod) {
    const matcher = requiredNodeAffinity(pod.pod.spec);
    if (!matcher) return 'skip';
    state.write(REQUIRED_KEY, matcher);
    const pinned = pinnedNodeNames(pod.pod.spec);
    return pinned ? { nodeNames: pinned } : undefined;
  },
  filter(state, _pod, node) {
    const matcher = state.read<NodeMatcher>(REQUIRED_KEY);
    if (!matcher || matcher(node)) return null;
    return unresolvable("node(s) didn't match Pod's node affinity/selector");
  },
};

interface WeightedTerm {
  weight: number;
  matches: NodeMatcher;
}

/** Σ weights of the preferred terms a node matches, scaled so the best node gets 100. */
export const nodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  preScore(state, pod) {
    const preferred = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!Array.isArray(preferred) || preferred.length === 0) return 'skip';
    const terms: WeightedTerm[] = preferred
      .filter((t) => Number(t?.weight) > 0 && t?.preference)
      .map((t) => ({ weight: Number(t.weight), matches: compileNodeSelectorTerm(t.preference) }));
    state.write(PREFERRED_KEY, terms);
  },
  score(state, _pod, node) {
    let sum = 0;
    for (const t of state.read<WeightedTerm[]>(PREFERRED_KEY) ?? []) if (t.matches(node)) sum += t.weight;
    return sum;
  },
  normalize(_state, scores) {
    defaultNormalize(scores, false);
  },
};
