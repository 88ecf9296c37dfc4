import type { ReplicaSet } from '../../kube/objects.ts';
import { oldReplicaSetSizes, newReplicaSetSize } from './rollout-math.ts';
import { rsView, specReplicas } from './spec.ts';
import { deploymentComplete, progressCheckAt, rolloutStatus } from './status.ts';
import { syncNewReplicaSet } from './new-replicaset.ts';
import { cleanupHistory, isActive } from './scaling.ts';
import type { DeploymentState } from './state.ts';

/** rolloutRolling: one step of a RollingUpdate: scale the new ReplicaSet up, or old ones down. */
export async function rolloutRolling(st: DeploymentState): Promise<void> {
  const split = await syncNewReplicaSet(st, true);
  const newRs = st.latest(split.newRs!);
  const all = () => [...split.old.map((rs) => st.latest(rs)), st.latest(newRs)];

  if (await reconcileNewReplicaSet(st, all(), newRs)) return syncRolloutStatus(st, all(), st.latest(newRs));
  if (await reconcileOldReplicaSets(st, all(), split.old.map((rs) => st.latest(rs)).filter(isActive), st.latest(newRs))) {
    return syncRolloutStatus(st, all(), st.latest(newRs));
  }
  if (deploymentComplete(st.d, st.d.status ?? {}))
    await cleanupHistory(
      st,
      split.old.map((rs) => st.latest(rs)),
    );
  await syncRolloutStatus(st, all(), st.latest(newRs));
}

async function reconcileNewReplicaSet(st: DeploymentState, all: ReplicaSet[], newRs: ReplicaSet): Promise<boolean> {
  const replicas = st.spec.replicas;
  const current = specReplicas(newRs);
  if (current === replicas) return false;
  if (current > replicas) return st.scaleIfNeeded(newRs, replicas);
  return st.scaleIfNeeded(newRs, newReplicaSetSize(st.spec, all.map(rsView), rsView(newRs)));
}

async function reconcileOldReplicaSets(st: DeploymentState, all: ReplicaSet[], activeOld: ReplicaSet[], newRs: ReplicaSet): Promise<boolean> {
  const sizes = oldReplicaSetSizes(st.spec, all.map(rsView), activeOld.map(rsView), rsView(newRs));
  let scaled = false;
  for (const rs of activeOld) {
    const to = sizes.get(rs.metadata.name!);
    if (to !== undefined && (await st.scaleIfNeeded(st.latest(rs), to))) scaled = true;
  }
  return scaled;
}

/**
 * rolloutRecreate: scale every old ReplicaSet to zero, wait until none of their pods is left
 * (terminating ones included), then bring the new ReplicaSet up to full size at once.
 */
export async function rolloutRecreate(st: DeploymentState): Promise<void> {
  let split = await syncNewReplicaSet(st, false);
  const all = () => [...split.old, ...(split.newRs ? [split.newRs] : [])].map((rs) => st.latest(rs));
  let scaledDown = false;
  for (const rs of split.old.filter(isActive)) {
    if (await st.scaleIfNeeded(st.latest(rs), 0)) scaledDown = true;
  }
  if (scaledDown || oldPodsRunning(st, split.newRs, split.old)) return syncRolloutStatus(st, all(), split.newRs && st.latest(split.newRs));
  if (!split.newRs) split = await syncNewReplicaSet(st, true);
  const newRs = st.latest(split.newRs!);
  await st.scaleIfNeeded(newRs, st.spec.replicas);
  if (deploymentComplete(st.d, st.d.status ?? {}))
    await cleanupHistory(
      st,
      split.old.map((rs) => st.latest(rs)),
    );
  await syncRolloutStatus(st, all(), st.latest(newRs));
}

function oldPodsRunning(st: DeploymentState, newRs: ReplicaSet | undefined, old: ReplicaSet[]): boolean {
  if (old.some((rs) => (st.latest(rs).status?.replicas ?? 0) > 0)) return true;
  for (const rs of old) {
    if (rs.metadata.uid === newRs?.metadata.uid) continue;
    for (const pod of st.podsOf(rs.metadata.uid!)) {
      const phase = pod.status?.phase;
      if (phase !== 'Failed' && phase !== 'Succeeded') return true;
    }
  }
  return false;
}

/** syncRolloutStatus: write the new status when it differs, and wake up for the progress deadline. */
export async function syncRolloutStatus(st: DeploymentState, all: ReplicaSet[], newRs: ReplicaSet | undefined): Promise<void> {
  const status = rolloutStatus(st.d, all, newRs, st.now);
  await st.writeStatusIfChanged(status);
  const at = progressCheckAt(st.d, status);
  if (at !== undefined) st.pass.wakeAt(at);
}
