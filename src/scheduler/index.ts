/**
 * The scheduler's public surface. The per-cluster controller is `src/controllers/scheduler.ts`;
 * other parts (the cluster autoscaler's simulations, the console) use these pure functions:
 *
 * - `buildSnapshot({ nodes, pods, ... })` → an in-memory cluster view;
 * - `scheduleOne(pod, snapshot)` → filters, scores and the chosen node (nothing is written);
 * - `filterNode(pod, nodeInfoFor(templateNode, daemonSetPods), snapshot)` → does the pod fit a
 *   node that does not exist yet, and each filter's verdict;
 * - `fitErrorMessage(result)` → kube-scheduler's "0/N nodes are available: ..." text;
 * - `assumePod(snapshot, podInfo, node)` → record a simulated placement.
 */
export {
  scheduleOne,
  filterNode,
  runPreFilter,
  runFilters,
  numFeasibleNodesToFind,
  type ScheduleResult,
  type ScheduleOptions,
  type FilterNodeResult,
} from './framework.ts';
export { buildSnapshot, nodeInfoFor, assumePod, addPodToNode, removePodFromNode, cloneNodeInfo, occupiesNode, type SnapshotInput } from './snapshot.ts';
export { computePodInfo, resolvePriority } from './pod-info.ts';
export { fitErrorMessage, reasonHistogram } from './fit-error.ts';
export { preempt } from './preemption.ts';
export { explain, SCHEDULING_RESULT_ANNOTATION, type SchedulingRecord } from './explain.ts';
export { defaultProfile, type Profile } from './profile.ts';
export type { Status, StatusCode } from './plugin.ts';
export type { NodeInfo, PodInfo, Snapshot } from './types.ts';
