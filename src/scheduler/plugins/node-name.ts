import { unresolvable, type FilterPlugin } from '../plugin.ts';

/** A pod naming a node in `spec.nodeName` fits only that node (used by simulations of bound pods). */
export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter(_state, pod, node) {
    const wanted = pod.pod.spec?.nodeName;
    if (!wanted || wanted === node.name) return null;
    return unresolvable("node(s) didn't match the requested node name");
  },
};
