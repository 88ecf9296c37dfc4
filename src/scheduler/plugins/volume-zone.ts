import { unresolvable, type FilterPlugin } from '../plugin.ts';
import type { KubeObject } from '../../kube/types.ts';

/** PV labels that pin a volume to zones or regions; values may list several, separated by "__". */
const TOPOLOGY_LABELS = [
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
];

const KEY = 'VolumeZone/pvs';

/** A bound PV labelled with a zone or region only fits nodes in that zone or region. */
export const volumeZone: FilterPlugin = {
  name: 'VolumeZone',
  preFilter(state, pod, snapshot) {
    const pvs: KubeObject[] = [];
    for (const key of pod.claims) {
      const pv = snapshot.pvs.get(snapshot.pvcs.get(key)?.spec?.volumeName ?? '');
      if (pv && TOPOLOGY_LABELS.some((l) => pv.metadata.labels?.[l] !== undefined)) pvs.push(pv);
    }
    if (pvs.length === 0) return 'skip';
    state.write(KEY, pvs);
  },
  filter(state, _pod, node) {
    for (const pv of state.read<KubeObject[]>(KEY) ?? []) {
      for (const label of TOPOLOGY_LABELS) {
        const want = pv.metadata.labels?.[label];
        if (want === undefined) continue;
        const have = node.labels[label];
        if (have === undefined || !want.split('__').includes(have)) return unresolvable('node(s) had no available volume zone');
      }
    }
    return null;
  },
};
