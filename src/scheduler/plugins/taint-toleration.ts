import { defaultNormalize, unresolvable, type FilterPlugin, type ScorePlugin } from '../plugin.ts';
import { findUntoleratedTaint, isHardTaint, toleratedBy, type Toleration } from '../../kube/tolerations.ts';

/** NoSchedule and NoExecute taints must be tolerated; PreferNoSchedule never filters. */
export const taintTolerationFilter: FilterPlugin = {
  name: 'TaintToleration',
  filter(_state, pod, node) {
    const taint = findUntoleratedTaint(node.taints, pod.tolerations, isHardTaint);
    if (!taint) return null;
    return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  },
};

const PREFER_KEY = 'TaintToleration/preferTolerations';

/** Fewer untolerated PreferNoSchedule taints is better (reverse-normalised count). */
export const taintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  preScore(state, pod) {
    // Only tolerations that can apply to PreferNoSchedule taints count.
    state.write(
      PREFER_KEY,
      pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule'),
    );
  },
  score(state, _pod, node) {
    const tolerations = state.read<Toleration[]>(PREFER_KEY) ?? [];
    let n = 0;
    for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !toleratedBy(taint, tolerations)) n++;
    return n;
  },
  normalize(_state, scores) {
    defaultNormalize(scores, true);
  },
};
