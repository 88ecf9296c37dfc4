import { asKind, type ControllerRevision, type DaemonSet, type Pod } from '../../kube/objects.ts';
import { StoreError } from '../../store/errors.ts';
import { newControllerRevision, revisionNumber, sortRevisions, templateOfRevision } from '../shared/controller-revisions.ts';
import type { CreateAdmission } from '../shared/admission.ts';
import type { Pass } from '../shared/pass.ts';
import { computeTemplateHash, templatesEqualIgnoringHash } from '../shared/template-hash.ts';

/** The label a DaemonSet's pods and revisions carry with the template hash. */
export const DS_HASH_LABEL = 'controller-revision-hash';

export interface DaemonSetHistory {
  current: ControllerRevision;
  hash: string;
  old: ControllerRevision[];
}

/**
 * constructHistory: the revision matching the current template (created when missing, its number
 * raised above every old one), and the old revisions. A name taken by another template bumps
 * status.collisionCount and the pass runs again. Undefined when a write lost a race.
 */
export async function constructHistory(
  pass: Pass,
  ds: DaemonSet,
  owned: ControllerRevision[],
  admission: CreateAdmission,
): Promise<DaemonSetHistory | undefined> {
  const matching: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (const rev of owned) (templatesEqualIgnoringHash(templateOfRevision(rev), ds.spec?.template) ? matching : old).push(rev);
  const next = old.reduce((m, r) => Math.max(m, revisionNumber(r)), 0) + 1;
  let current: ControllerRevision | undefined;
  if (matching.length === 0) {
    current = await snapshot(pass, ds, next, admission);
    if (!current) return undefined;
  } else {
    // dedupCurHistories: keep the highest revision; duplicates are deleted.
    const sorted = sortRevisions(matching);
    current = sorted[sorted.length - 1];
    for (const dup of sorted.slice(0, -1)) {
      await pass.attempt(() =>
        pass.store.commit(pass.clusterId, [
          { op: 'delete', resource: 'controllerrevisions.apps', namespace: dup.metadata.namespace ?? '', name: dup.metadata.name!, uid: dup.metadata.uid },
        ]),
      );
    }
    if (revisionNumber(current) < next) {
      const cur = current;
      const raised = await pass.attempt(() => pass.store.update(pass.clusterId, 'controllerrevisions.apps', { ...cur, revision: next }));
      if (!raised) return undefined;
      current = raised;
    }
  }
  const hash = current.metadata.labels?.[DS_HASH_LABEL] ?? current.metadata.name!;
  return { current, hash, old };
}

async function snapshot(pass: Pass, ds: DaemonSet, revision: number, admission: CreateAdmission): Promise<ControllerRevision | undefined> {
  const hash = computeTemplateHash(ds.spec?.template, ds.status?.collisionCount);
  const rev = newControllerRevision(ds, ds.spec?.template, revision, hash, { [DS_HASH_LABEL]: hash });
  try {
    pass.spend();
    // Admitted as a client's create would be (quota on count/controllerrevisions.apps...).
    const outcome = await admission.create('controllerrevisions.apps', rev);
    if ('created' in outcome) return outcome.created;
    // Upstream returns the error and retries; the Event says why the DaemonSet stands still.
    await pass.event(ds, 'Warning', 'FailedCreate', `Error creating ControllerRevision: ${outcome.refused}`);
    return undefined;
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    if (err.reason !== 'AlreadyExists') {
      pass.markRaced();
      return undefined;
    }
    const clash = await pass.store.get(pass.clusterId, 'controllerrevisions.apps', ds.metadata.namespace ?? '', rev.metadata.name!);
    const stored = clash && asKind('controllerrevisions.apps', clash);
    if (stored && templatesEqualIgnoringHash(templateOfRevision(stored), ds.spec?.template)) return stored;
    const bumped = { ...ds, status: { ...(ds.status ?? {}), collisionCount: (ds.status?.collisionCount ?? 0) + 1 } };
    await pass.attempt(() => pass.store.update(pass.clusterId, 'daemonsets.apps', bumped));
    pass.markRaced();
    return undefined;
  }
}

/** cleanupHistory: old revisions no pod uses, beyond revisionHistoryLimit, lowest first. */
export async function cleanupHistory(pass: Pass, ds: DaemonSet, pods: Pod[], history: DaemonSetHistory): Promise<void> {
  const limit = ds.spec?.revisionHistoryLimit ?? 10;
  if (history.old.length <= limit) return;
  const live = new Set(pods.map((p) => p.metadata.labels?.[DS_HASH_LABEL]));
  const unused = sortRevisions(history.old).filter((r) => !live.has(r.metadata.labels?.[DS_HASH_LABEL]));
  for (const rev of unused.slice(0, history.old.length - limit)) {
    await pass.attempt(() =>
      pass.store.commit(pass.clusterId, [
        { op: 'delete', resource: 'controllerrevisions.apps', namespace: rev.metadata.namespace ?? '', name: rev.metadata.name!, uid: rev.metadata.uid },
      ]),
    );
  }
}
