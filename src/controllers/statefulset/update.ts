import type { Pod, StatefulSet } from '../../kube/objects.ts';
import { templateOfRevision } from '../shared/controller-revisions.ts';
import type { Pass } from '../shared/pass.ts';
import { isPodAvailable, isPodRunningAndReady, isPodTerminal, podAvailableAt } from '../shared/pod-state.ts';
import { inOrdinalRange, newStatefulSetPod, ordinalOf, ordinalStart, podIdentityIntact, podRevision, replicasOf, restoreIdentity } from './identity.ts';
import type { StatefulPodControl } from './pod-control.ts';
import type { SetRevisions } from './revisions.ts';

const isTerminating = (p: Pod) => Boolean(p.metadata.deletionTimestamp);
const isHealthy = (p: Pod | undefined) => Boolean(p) && isPodRunningAndReady(p!) && !isTerminating(p!);

/**
 * The StatefulSet update algorithm (stateful_set_control.go updateStatefulSet). With OrderedReady
 * ("monotonic") each step waits for the previous pod to be Running and Ready: create 0..n-1 in
 * order, delete condemned ordinals from the highest, then roll pods to the update revision from
 * the highest ordinal down to the partition, one at a time. Parallel skips the waits for creation
 * and deletion. Returns the pods as they are after this pass's writes.
 */
export async function updateStatefulSet(pass: Pass, set: StatefulSet, pods: Pod[], revs: SetRevisions, control: StatefulPodControl): Promise<Pod[]> {
  const name = set.metadata.name!;
  const start = ordinalStart(set);
  const count = replicasOf(set);
  const replicas: (Pod | undefined)[] = new Array(count).fill(undefined);
  let condemned: Pod[] = [];
  for (const pod of pods) {
    const ord = ordinalOf(pod, name);
    if (ord < 0) continue;
    if (inOrdinalRange(set, ord)) replicas[ord - start] = pod;
    else condemned.push(pod);
  }
  condemned.sort((a, b) => ordinalOf(a, name) - ordinalOf(b, name));
  const snapshot = () => [...replicas.filter((p): p is Pod => Boolean(p)), ...condemned];
  if (set.metadata.deletionTimestamp) return snapshot();

  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const minReady = set.spec?.minReadySeconds ?? 0;
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  const firstUnhealthy = [...replicas, ...condemned].find((p) => !isHealthy(p));
  const waitAvailable = (p: Pod) => {
    const at = podAvailableAt(p, minReady, pass.nowMs);
    if (at !== undefined) pass.wakeAt(at);
  };

  for (let i = 0; i < count; i++) {
    if (pass.exhausted) return snapshot();
    const ord = start + i;
    const pod = replicas[i];
    if (pod && isPodTerminal(pod)) {
      // Finished pods are deleted and recreated under the same name on a later pass.
      if (!isTerminating(pod)) replicas[i] = await control.deletePod(pod);
      if (monotonic) return snapshot();
      continue;
    }
    if (!pod) {
      // Ordinals below the partition stay at the current revision, even when recreated.
      const rev = ord < partition ? revs.current : revs.update;
      const fresh = newStatefulSetPod(set, templateOfRevision(rev), ord, rev.metadata.name!);
      replicas[i] = await control.createPod(fresh, ord);
      if (monotonic) return snapshot();
      continue;
    }
    if (pod.status?.phase === 'Pending') await control.ensureClaims(pod.metadata.name!, ord);
    if (isTerminating(pod)) {
      if (monotonic) return snapshot();
      continue;
    }
    if (!isPodRunningAndReady(pod) && monotonic) return snapshot();
    if (!isPodAvailable(pod, minReady, pass.nowMs) && monotonic) {
      waitAvailable(pod);
      return snapshot();
    }
    if (!podIdentityIntact(set, pod, ord)) replicas[i] = await control.updatePod(restoreIdentity(set, pod, ord));
    await control.syncClaimOwners(replicas[i]!);
  }

  for (const pod of condemned) await control.syncClaimOwners(pod);
  for (let t = condemned.length - 1; t >= 0; t--) {
    if (pass.exhausted) return snapshot();
    const pod = condemned[t];
    if (isTerminating(pod)) {
      if (monotonic) return snapshot();
      continue;
    }
    if (monotonic && pod !== firstUnhealthy) {
      if (!isPodRunningAndReady(pod)) return snapshot();
      if (!isPodAvailable(pod, minReady, pass.nowMs)) {
        waitAvailable(pod);
        return snapshot();
      }
    }
    const after = await control.deletePod(pod);
    condemned = after ? condemned.map((p) => (p === pod ? after : p)) : condemned.filter((p) => p !== pod);
    if (monotonic) return snapshot();
  }

  if (set.spec?.updateStrategy?.type === 'OnDelete') return snapshot();
  for (let i = count - 1; i >= 0 && start + i >= partition; i--) {
    const pod = replicas[i];
    if (pod && podRevision(pod) !== revs.update.metadata.name && !isTerminating(pod)) {
      replicas[i] = await control.deletePod(pod);
      return snapshot();
    }
    if (!isHealthy(pod)) return snapshot();
  }
  return snapshot();
}
