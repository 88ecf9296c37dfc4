import { asKind, type ControllerRevision, type Pod, type StatefulSet } from '../../kube/objects.ts';
import { StoreError } from '../../store/errors.ts';
import { hashRevisionTemplate, newControllerRevision, nextRevisionNumber, revisionsEqual, sortRevisions } from '../shared/controller-revisions.ts';
import type { CreateAdmission } from '../shared/admission.ts';
import type { Pass } from '../shared/pass.ts';
import { podRevision } from './identity.ts';

export interface SetRevisions {
  current: ControllerRevision;
  update: ControllerRevision;
  collisionCount: number;
  /** All revisions of the set, ascending, after this sync's writes. */
  all: ControllerRevision[];
}

/**
 * getStatefulSetRevisions: the update revision is the set's current template (an existing equal
 * revision is reused, and moved to the next number when it is not the latest: a rollback); the
 * current revision is the one status.currentRevision names, or the update revision at first.
 * Returns undefined when a write lost a race.
 */
export async function syncRevisions(pass: Pass, set: StatefulSet, owned: ControllerRevision[], admission: CreateAdmission): Promise<SetRevisions | undefined> {
  let all = sortRevisions(owned);
  let collisionCount: number = set.status?.collisionCount ?? 0;
  const next = nextRevisionNumber(all);
  const template = set.spec?.template;
  let candidate = newControllerRevision(set, template, next, hashRevisionTemplate(template, collisionCount));
  const equal = all.filter((r) => revisionsEqual(r, candidate));
  let update: ControllerRevision | undefined;
  if (equal.length && all[all.length - 1] === equal[equal.length - 1]) {
    update = equal[equal.length - 1];
  } else if (equal.length) {
    const moved = { ...equal[equal.length - 1], revision: next };
    update = await pass.attempt(() => pass.store.update(pass.clusterId, 'controllerrevisions.apps', moved));
  } else {
    // Create it; a name held by a different template bumps collisionCount and hashes again.
    for (let attempt = 0; attempt < 5 && !update; attempt++) {
      try {
        pass.spend();
        // Admitted as a client's create would be (quota on count/controllerrevisions.apps...).
        const outcome = await admission.create('controllerrevisions.apps', candidate);
        if ('refused' in outcome) {
          // Upstream returns the error and retries; the Event says why the StatefulSet stands still.
          await pass.event(
            set,
            'Warning',
            'FailedCreate',
            `create ControllerRevision ${candidate.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${outcome.refused}`,
          );
          return undefined;
        }
        update = outcome.created;
      } catch (err) {
        if (!(err instanceof StoreError)) throw err;
        if (err.reason !== 'AlreadyExists') {
          pass.markRaced();
          return undefined;
        }
        const found = await pass.store.get(pass.clusterId, 'controllerrevisions.apps', set.metadata.namespace ?? '', candidate.metadata.name!);
        const clash = found && asKind('controllerrevisions.apps', found);
        if (clash && revisionsEqual(clash, candidate)) {
          update = clash;
          break;
        }
        collisionCount++;
        candidate = newControllerRevision(set, template, next, hashRevisionTemplate(template, collisionCount));
      }
    }
  }
  if (!update) return undefined;
  all = sortRevisions([...all.filter((r) => r.metadata.uid !== update!.metadata.uid), update]);
  const current = all.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount, all };
}

/** truncateHistory: keep revisionHistoryLimit revisions no pod, nor current or update, uses. */
export async function truncateHistory(pass: Pass, set: StatefulSet, pods: Pod[], revs: SetRevisions): Promise<void> {
  const live = new Set([revs.current.metadata.name, revs.update.metadata.name, ...pods.map(podRevision)]);
  const history = revs.all.filter((r) => !live.has(r.metadata.name));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  const excess = history.length - limit;
  if (excess <= 0) return;
  for (const rev of history.slice(0, excess)) {
    await pass.attempt(() =>
      pass.store.commit(pass.clusterId, [
        { op: 'delete', resource: 'controllerrevisions.apps', namespace: rev.metadata.namespace ?? '', name: rev.metadata.name!, uid: rev.metadata.uid },
      ]),
    );
  }
}
