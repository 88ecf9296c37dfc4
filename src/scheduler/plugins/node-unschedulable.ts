import { unresolvable, type FilterPlugin } from '../plugin.ts';
import { toleratedBy } from '../../kube/tolerations.ts';

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** A cordoned node (`spec.unschedulable`) takes only pods tolerating node.kubernetes.io/unschedulable:NoSchedule. */
export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(_state, pod, node) {
    if (!node.unschedulable || toleratedBy(UNSCHEDULABLE_TAINT, pod.tolerations)) return null;
    return unresolvable('node(s) were unschedulable');
  },
};
