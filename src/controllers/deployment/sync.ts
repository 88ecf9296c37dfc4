import type { Deployment, Pod, ReplicaSet, WithSpec } from '../../kube/objects.ts';
import { getCondition, setCondition } from '../../lib/conditions.ts';
import { planClaims, withControllerRef, withoutOwnerRef } from '../shared/owners.ts';
import type { CreateAdmission } from '../shared/admission.ts';
import type { Pass } from '../shared/pass.ts';
import { isEmptySelector, selectorMatches } from '../shared/selector.ts';
import { syncNewReplicaSet } from './new-replicaset.ts';
import { rolloutRecreate, rolloutRolling } from './rollout.ts';
import { isScalingEvent, syncScaling } from './scaling.ts';
import { progressDeadlineSeconds } from './spec.ts';
import { PAUSED, RESUMED, TIMED_OUT, calculateStatus, condition } from './status.ts';
import { DeploymentState, SyncAborted } from './state.ts';

export interface DeploymentIndex {
  replicaSetsInNamespace(ns: string): ReplicaSet[];
  podsOf(rsUid: string): Pod[];
}

/**
 * One Deployment (deployment_controller.go syncDeployment): claim ReplicaSets, then either only
 * refresh status (being deleted), scale (paused or a scaling event), or take a rollout step.
 */
export async function syncDeployment(pass: Pass, d: WithSpec<Deployment>, index: DeploymentIndex, admission: CreateAdmission): Promise<void> {
  try {
    if (isEmptySelector(d.spec?.selector)) {
      await pass.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 1)) {
        await pass.attempt(() =>
          pass.store.update(pass.clusterId, 'deployments.apps', { ...d, status: { ...(d.status ?? {}), observedGeneration: d.metadata.generation } }),
        );
      }
      return;
    }
    const owned = await claimReplicaSets(pass, d, index.replicaSetsInNamespace(d.metadata.namespace ?? ''));
    const st = new DeploymentState(pass, d, owned, index.podsOf, admission);
    if (d.metadata.deletionTimestamp) {
      const { newRs, old } = await syncNewReplicaSet(st, false);
      await st.writeStatusIfChanged(calculateStatus(st.d, [...old, ...(newRs ? [newRs] : [])], newRs, st.now));
      return;
    }
    await checkPausedConditions(st);
    if (st.d.spec?.paused || (await isScalingEvent(st))) return await syncScaling(st);
    if (st.spec.type === 'Recreate') await rolloutRecreate(st);
    else await rolloutRolling(st);
  } catch (err) {
    if (err instanceof SyncAborted) return;
    throw err;
  }
}

async function claimReplicaSets(pass: Pass, d: WithSpec<Deployment>, candidates: ReplicaSet[]): Promise<ReplicaSet[]> {
  const plan = planClaims(d, candidates, (rs) => selectorMatches(d.spec.selector, rs.metadata.labels));
  const owned = [...plan.owned];
  for (const rs of plan.adopt) {
    const adopted = await pass.attempt(() => pass.store.update(pass.clusterId, 'replicasets.apps', withControllerRef(rs, d)));
    if (!adopted) throw new SyncAborted();
    owned.push(adopted);
  }
  for (const rs of plan.release) {
    await pass.attempt(() => pass.store.update(pass.clusterId, 'replicasets.apps', withoutOwnerRef(rs, d.metadata.uid!)));
  }
  return owned;
}

/** A paused Deployment shows Progressing=Unknown DeploymentPaused; resuming shows DeploymentResumed. */
async function checkPausedConditions(st: DeploymentState): Promise<void> {
  const d = st.d;
  if (progressDeadlineSeconds(d) === undefined) return;
  const current = getCondition(d.status?.conditions, 'Progressing');
  if (current?.reason === TIMED_OUT) return;
  const pausedShown = current?.reason === PAUSED;
  let next;
  if (d.spec?.paused && !pausedShown) next = condition('Progressing', 'Unknown', PAUSED, 'Deployment is paused', st.now);
  else if (!d.spec?.paused && pausedShown) next = condition('Progressing', 'Unknown', RESUMED, 'Deployment is resumed', st.now);
  if (!next) return;
  await st.updateDeployment({ ...d, status: { ...(d.status ?? {}), conditions: setCondition(d.status?.conditions, next) } });
}
