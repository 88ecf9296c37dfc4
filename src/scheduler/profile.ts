import type { FilterPlugin, ScorePlugin } from './plugin.ts';
import { balancedAllocation } from './plugins/balanced-allocation.ts';
import { imageLocality } from './plugins/image-locality.ts';
import { interPodAffinityFilter } from './plugins/inter-pod-affinity-filter.ts';
import { interPodAffinityScore } from './plugins/inter-pod-affinity-score.ts';
import { nodeAffinityFilter, nodeAffinityScore } from './plugins/node-affinity.ts';
import { nodeName } from './plugins/node-name.ts';
import { nodePorts } from './plugins/node-ports.ts';
import { nodeResourcesFitFilter, nodeResourcesFitScore } from './plugins/node-resources-fit.ts';
import { nodeUnschedulable } from './plugins/node-unschedulable.ts';
import { podTopologySpreadFilter } from './plugins/pod-topology-spread-filter.ts';
import { podTopologySpreadScore } from './plugins/pod-topology-spread-score.ts';
import { taintTolerationFilter, taintTolerationScore } from './plugins/taint-toleration.ts';
import { volumeBinding } from './plugins/volume-binding.ts';
import { volumeRestrictions } from './plugins/volume-restrictions.ts';
import { volumeZone } from './plugins/volume-zone.ts';

export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  weight: number;
}

/** A scheduling profile: filters in the order they run, score plugins with their weights. */
export interface Profile {
  schedulerName: string;
  filters: FilterPlugin[];
  scores: WeightedScorePlugin[];
}

/**
 * kube-scheduler's default profile (pkg/scheduler/apis/config/v1/default_plugins.go): the filter
 * order decides which plugin a node's rejection is blamed on; the weights make 1200 the best total.
 */
export const defaultProfile: Profile = {
  schedulerName: 'default-scheduler',
  filters: [
    nodeUnschedulable,
    nodeName,
    taintTolerationFilter,
    nodeAffinityFilter,
    nodePorts,
    nodeResourcesFitFilter,
    volumeRestrictions,
    volumeBinding,
    volumeZone,
    podTopologySpreadFilter,
    interPodAffinityFilter,
  ],
  scores: [
    { plugin: taintTolerationScore, weight: 3 },
    { plugin: nodeAffinityScore, weight: 2 },
    { plugin: nodeResourcesFitScore, weight: 1 },
    { plugin: podTopologySpreadScore, weight: 2 },
    { plugin: interPodAffinityScore, weight: 2 },
    { plugin: balancedAllocation, weight: 1 },
    { plugin: imageLocality, weight: 1 },
  ],
};
