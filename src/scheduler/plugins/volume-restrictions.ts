import { unschedulable, type FilterPlugin } from '../plugin.ts';

const KEY = 'VolumeRestrictions/conflict';

/**
 * A ReadWriteOncePod claim may be used by a single pod in the whole cluster. The conflict is
 * resolvable: preempting the pod that holds the claim frees it.
 */
export const volumeRestrictions: FilterPlugin = {
  name: 'VolumeRestrictions',
  preFilter(state, pod, snapshot) {
    const rwop = pod.claims.filter((k) => (snapshot.pvcs.get(k)?.spec?.accessModes ?? []).includes('ReadWriteOncePod'));
    if (rwop.length === 0) return 'skip';
    let users = 0;
    for (const node of snapshot.nodes) for (const k of rwop) users += node.claimRefs.get(k) ?? 0;
    state.write(KEY, users > 0);
  },
  filter(state) {
    if (!state.read<boolean>(KEY)) return null;
    return unschedulable('node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode');
  },
};
