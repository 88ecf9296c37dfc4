import { asKind, type Deployment, type ReplicaSet, type WithSpec } from '../../kube/objects.ts';
import { StoreError } from '../../store/errors.ts';
import { isControlledBy, newControllerRef } from '../shared/owners.ts';
import { getCondition, setCondition } from '../../lib/conditions.ts';
import { POD_TEMPLATE_HASH_LABEL, computeTemplateHash, templatesEqualIgnoringHash } from '../shared/template-hash.ts';
import { REVISION, maxRevision, revisionOf, setNewReplicaSetAnnotations } from './annotations.ts';
import { maxSurge, newReplicaSetSize } from './rollout-math.ts';
import { progressDeadlineSeconds, rsView } from './spec.ts';
import { FOUND_NEW_RS, NEW_RS_CREATED, RS_CREATE_ERROR, condition } from './status.ts';
import { SyncAborted, type DeploymentState } from './state.ts';

export interface ReplicaSetSplit {
  newRs: ReplicaSet | undefined;
  old: ReplicaSet[];
}

function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's (hash label ignored). */
export function splitReplicaSets(d: Deployment, replicaSets: ReplicaSet[]): ReplicaSetSplit {
  const sorted = [...replicaSets].sort(byCreation);
  const newRs = sorted.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, d.spec?.template));
  return { newRs, old: sorted.filter((rs) => rs !== newRs) };
}

/**
 * getAllReplicaSetsAndSyncRevision: find the new ReplicaSet (creating it when asked), bring its
 * revision annotations up to date (a rollback moves the old ReplicaSet to the next revision), and
 * copy its revision onto the Deployment.
 */
export async function syncNewReplicaSet(st: DeploymentState, create: boolean): Promise<ReplicaSetSplit> {
  const { newRs: existing, old } = splitReplicaSets(st.d, st.replicaSets);
  const newRevision = maxRevision(old) + 1;
  const spec = st.spec;
  const sizes = { desired: spec.replicas, max: spec.replicas + maxSurge(spec) };
  if (existing) {
    let rs = existing;
    const copy = structuredClone(existing) as WithSpec<ReplicaSet>; // validation requires a ReplicaSet's spec
    const annotationsChanged = setNewReplicaSetAnnotations(st.d, copy, newRevision, true, sizes);
    const minReady = st.d.spec?.minReadySeconds ?? 0;
    if (annotationsChanged || (copy.spec.minReadySeconds ?? 0) !== minReady) {
      copy.spec.minReadySeconds = minReady;
      rs = await st.updateReplicaSet(copy);
    }
    const d = structuredClone(st.d);
    let changed = setDeploymentRevision(d, String(revisionOf(rs) || newRevision));
    if (!getCondition(d.status?.conditions, 'Progressing') && progressDeadlineSeconds(d) !== undefined) {
      d.status = { ...(d.status ?? {}) };
      d.status.conditions = setCondition(
        d.status.conditions,
        condition('Progressing', 'True', FOUND_NEW_RS, `Found new replica set "${rs.metadata.name}"`, st.now),
      );
      changed = true;
    }
    if (changed) await st.updateDeployment(d);
    return { newRs: rs, old };
  }
  if (!create) return { newRs: undefined, old };
  return { newRs: await createNewReplicaSet(st, old, newRevision, sizes), old };
}

async function createNewReplicaSet(st: DeploymentState, old: ReplicaSet[], newRevision: number, sizes: { desired: number; max: number }): Promise<ReplicaSet> {
  const d = st.d;
  const hash = computeTemplateHash(d.spec.template, d.status?.collisionCount);
  const template = structuredClone(d.spec.template ?? {});
  template.metadata ??= {};
  template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const selector = structuredClone(d.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const rs: WithSpec<ReplicaSet> = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...template.metadata.labels },
      ownerReferences: [newControllerRef(d)],
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newReplicaSetSize(st.spec, [...old.map(rsView), rsView(rs)], rsView(rs));
  rs.spec.replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, false, sizes);

  let created: ReplicaSet;
  let alreadyExisted = false;
  try {
    st.pass.spend();
    // Admitted as a client's create would be (quota on count/replicasets.apps...).
    const outcome = await st.admission.create('replicasets.apps', rs);
    if ('refused' in outcome) return await refuseReplicaSet(st, rs.metadata.name!, outcome.refused);
    created = outcome.created;
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    if (err.reason !== 'AlreadyExists') {
      // Another create charged the quota first: admit again on fresh quotas.
      st.pass.markRaced();
      throw new SyncAborted();
    }
    const found = await st.pass.store.get(st.pass.clusterId, 'replicasets.apps', d.metadata.namespace ?? '', rs.metadata.name!);
    const clash = found && asKind('replicasets.apps', found);
    if (clash && isControlledBy(clash, d) && templatesEqualIgnoringHash(clash.spec?.template, d.spec.template)) {
      created = clash;
      alreadyExisted = true;
    } else {
      // A different template owns this name: hash again with a bumped collisionCount next pass.
      const bumped = structuredClone(d);
      bumped.status = { ...(bumped.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
      await st.updateDeployment(bumped);
      st.pass.markRaced();
      throw new SyncAborted();
    }
  }
  st.replicaSets = [...st.replicaSets.filter((r) => r.metadata.uid !== created.metadata.uid), created];
  if (!alreadyExisted && replicas > 0) {
    await st.pass.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
  }
  const next = structuredClone(st.d);
  let changed = setDeploymentRevision(next, String(newRevision));
  if (!alreadyExisted && progressDeadlineSeconds(next) !== undefined) {
    next.status = { ...(next.status ?? {}) };
    next.status.conditions = setCondition(
      next.status.conditions,
      condition('Progressing', 'True', NEW_RS_CREATED, `Created new replica set "${created.metadata.name}"`, st.now),
    );
    changed = true;
  }
  if (changed) await st.updateDeployment(next);
  return created;
}

/**
 * A refused create (the API server's FailedRSCreate path): a Warning Event and, with a progress
 * deadline, Progressing=False ReplicaSetCreateError on the Deployment. The sync stops; a change to
 * the namespace's quotas or LimitRanges wakes the controller to try again.
 */
async function refuseReplicaSet(st: DeploymentState, name: string, reason: string): Promise<never> {
  const msg = `Failed to create new replica set "${name}": ${reason}`;
  if (progressDeadlineSeconds(st.d) !== undefined) {
    const conditions = setCondition(st.d.status?.conditions, condition('Progressing', 'False', RS_CREATE_ERROR, msg, st.now));
    if (conditions !== st.d.status?.conditions) await st.updateDeployment({ ...st.d, status: { ...(st.d.status ?? {}), conditions } });
  }
  await st.pass.event(st.d, 'Warning', RS_CREATE_ERROR, msg);
  throw new SyncAborted();
}

function setDeploymentRevision(d: Deployment, revision: string): boolean {
  if (d.metadata.annotations?.[REVISION] === revision) return false;
  d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: revision };
  return true;
}
