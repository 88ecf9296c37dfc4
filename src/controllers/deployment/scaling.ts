import type { ReplicaSet } from '../../kube/objects.ts';
import { requestDeletion } from '../../kube/deletion.ts';
import { desiredReplicasAnnotation, revisionOf } from './annotations.ts';
import { proportionalSizes } from './rollout-math.ts';
import { revisionHistoryLimit, rsView, specReplicas } from './spec.ts';
import { calculateStatus } from './status.ts';
import { syncNewReplicaSet } from './new-replicaset.ts';
import type { DeploymentState } from './state.ts';

export const isActive = (rs: ReplicaSet | undefined): rs is ReplicaSet => specReplicas(rs) > 0;

/** isScalingEvent: some active ReplicaSet was sized for a different spec.replicas. */
export async function isScalingEvent(st: DeploymentState): Promise<boolean> {
  const { newRs, old } = await syncNewReplicaSet(st, false);
  const replicas = st.spec.replicas;
  for (const rs of [...old, ...(newRs ? [newRs] : [])].filter(isActive)) {
    const desired = desiredReplicasAnnotation(st.latest(rs));
    if (desired !== undefined && desired !== replicas) return true;
  }
  return false;
}

/**
 * sync(): scaling without rolling out (paused Deployments and scaling events): resize, clean up
 * history when paused, and refresh status.
 */
export async function syncScaling(st: DeploymentState): Promise<void> {
  const { newRs, old } = await syncNewReplicaSet(st, false);
  await scale(st, newRs, old);
  if (st.d.spec?.paused)
    await cleanupHistory(
      st,
      old.map((rs) => st.latest(rs)),
    );
  const all = [...old, ...(newRs ? [newRs] : [])].map((rs) => st.latest(rs));
  await st.writeStatusIfChanged(calculateStatus(st.d, all, newRs && st.latest(newRs), st.now));
}

async function scale(st: DeploymentState, newRs: ReplicaSet | undefined, old: ReplicaSet[]): Promise<void> {
  const replicas = st.spec.replicas;
  const target = activeOrLatest(newRs, old);
  if (target) {
    if (specReplicas(target) !== replicas) await st.scaleIfNeeded(target, replicas);
    return;
  }
  if (newRs && isSaturated(newRs, replicas)) {
    for (const rs of old.filter(isActive)) await st.scaleIfNeeded(rs, 0);
    return;
  }
  if (st.spec.type !== 'RollingUpdate') return;
  const active = [...old, ...(newRs ? [newRs] : [])].filter(isActive);
  const { sizes, direction } = proportionalSizes(st.spec, active.map(rsView), st.d.status?.replicas ?? 0);
  for (const rs of active) {
    await st.scaleReplicaSet(st.latest(rs), sizes.get(rs.metadata.name!) ?? specReplicas(rs), direction);
  }
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active; else none. */
function activeOrLatest(newRs: ReplicaSet | undefined, old: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRs && old.length === 0) return undefined;
  const newestFirst = [...old].sort((a, b) => ((a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? 1 : -1));
  const active = [...newestFirst, ...(newRs ? [newRs] : [])].filter(isActive);
  if (active.length === 0) return newRs ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

function isSaturated(rs: ReplicaSet, replicas: number): boolean {
  return specReplicas(rs) === replicas && desiredReplicasAnnotation(rs) === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/**
 * cleanupDeployment: keep at most revisionHistoryLimit old ReplicaSets, deleting the lowest
 * revisions first, and only those fully scaled down and observed.
 */
export async function cleanupHistory(st: DeploymentState, old: ReplicaSet[]): Promise<void> {
  const alive = old.filter((rs) => !rs.metadata.deletionTimestamp);
  const excess = alive.length - revisionHistoryLimit(st.d);
  if (excess <= 0) return;
  alive.sort((a, b) => revisionOf(a) - revisionOf(b) || ((a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : 1));
  for (const rs of alive.slice(0, excess)) {
    const idle = (rs.status?.replicas ?? 0) === 0 && specReplicas(rs) === 0 && (rs.metadata.generation ?? 1) <= (rs.status?.observedGeneration ?? 0);
    if (!idle) continue;
    await st.pass.attempt(() =>
      requestDeletion(st.pass.store, st.pass.clusterId, 'replicasets.apps', rs.metadata.namespace ?? '', rs.metadata.name!, {
        preconditions: { uid: rs.metadata.uid },
      }),
    );
  }
}
