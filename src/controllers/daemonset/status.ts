import type { DaemonSet, Node, Pod } from '../../kube/objects.ts';
import { isPodAvailable, isPodReady } from '../shared/pod-state.ts';
import { DS_HASH_LABEL } from './history.ts';
import { byCreationAndPhase, nodeShouldRunDaemonPod } from './placement.ts';

/** updateDaemonSetStatus: counted per node, looking at the oldest daemon pod of each node. */
export function daemonSetStatus(ds: DaemonSet, nodes: Node[], nodeToPods: Map<string, Pod[]>, hash: string, nowMs: number): Record<string, unknown> {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const node of nodes) {
    const pods = [...(nodeToPods.get(node.metadata.name!) ?? [])];
    const scheduled = pods.length > 0;
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (scheduled) misscheduled++;
      continue;
    }
    desired++;
    if (!scheduled) continue;
    current++;
    const pod = pods.sort(byCreationAndPhase)[0];
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, nowMs)) available++;
    }
    if (pod.metadata.labels?.[DS_HASH_LABEL] === hash) updated++;
  }
  const status: Record<string, unknown> = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 1,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
  if (ds.status?.collisionCount !== undefined) status.collisionCount = ds.status.collisionCount;
  return status;
}
