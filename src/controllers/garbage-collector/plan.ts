import type { KubeObject } from '../../kube/types.ts';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type PropagationPolicy } from '../../kube/deletion.ts';

export interface Stored {
  resource: string;
  namespaced: boolean;
  obj: KubeObject;
}

export type GcAction =
  | { kind: 'delete'; target: Stored; policy: PropagationPolicy }
  /** Drop references to owners that are gone or orphaning; clear blockOwnerDeletion toward waiting owners. */
  | { kind: 'updateRefs'; target: Stored; remove: Set<string>; unblock: Set<string> }
  | { kind: 'removeFinalizer'; target: Stored; finalizer: string };

const finalizing = (o: KubeObject, f: string) => Boolean(o.metadata.deletionTimestamp) && (o.metadata.finalizers ?? []).includes(f);

/**
 * The garbage collector's decisions over one snapshot of a cluster (garbagecollector.go
 * attemptToDeleteItem, processDeletingDependentsItem, orphanDependents):
 * - a dependent none of whose owners is left is deleted (foreground when an owner waits for it
 *   and it has dependents of its own, background otherwise);
 * - a dependent that still has a live owner only drops the references to vanished owners and
 *   stops blocking owners deleted in the foreground;
 * - an owner with the `orphan` finalizer is removed from its dependents' references, then freed;
 * - an owner with `foregroundDeletion` has its dependents deleted, and is freed once no dependent
 *   with blockOwnerDeletion remains.
 * `owner(uid)` resolves an owner uid to the stored object (any kind), or undefined when gone.
 */
export function planGarbageCollection(objects: Stored[], owner: (uid: string) => Stored | undefined): GcAction[] {
  const dependentsOf = new Map<string, Stored[]>();
  for (const s of objects) {
    for (const ref of s.obj.metadata.ownerReferences ?? []) {
      let list = dependentsOf.get(ref.uid);
      if (!list) dependentsOf.set(ref.uid, (list = []));
      list.push(s);
    }
  }
  const actions: GcAction[] = [];
  const updates = new Map<string, { kind: 'updateRefs'; target: Stored; remove: Set<string>; unblock: Set<string> }>();
  const refUpdate = (target: Stored) => {
    const uid = target.obj.metadata.uid!;
    let u = updates.get(uid);
    if (!u) updates.set(uid, (u = { kind: 'updateRefs', target, remove: new Set(), unblock: new Set() }));
    return u;
  };

  for (const s of objects) {
    const refs = s.obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) continue;
    const absent: string[] = [];
    const waiting: { uid: string; blocking: boolean }[] = [];
    let solid = 0;
    for (const ref of refs) {
      const o = owner(ref.uid);
      if (!o || !ownerUsable(s, o)) absent.push(ref.uid);
      else if (finalizing(o.obj, FOREGROUND_FINALIZER)) waiting.push({ uid: ref.uid, blocking: ref.blockOwnerDeletion === true });
      else solid++;
    }
    if (absent.length === 0 && waiting.length === 0) continue;
    if (solid > 0) {
      const blocking = waiting.filter((w) => w.blocking);
      if (absent.length === 0 && blocking.length === 0) continue;
      const u = refUpdate(s);
      for (const uid of absent) u.remove.add(uid);
      for (const w of blocking) u.unblock.add(w.uid);
      continue;
    }
    if (s.obj.metadata.deletionTimestamp) continue;
    const hasDependents = (dependentsOf.get(s.obj.metadata.uid!) ?? []).length > 0;
    actions.push({ kind: 'delete', target: s, policy: waiting.length > 0 && hasDependents ? 'Foreground' : 'Background' });
  }

  for (const s of objects) {
    const uid = s.obj.metadata.uid!;
    const dependents = dependentsOf.get(uid) ?? [];
    if (finalizing(s.obj, ORPHAN_FINALIZER)) {
      if (dependents.length === 0) actions.push({ kind: 'removeFinalizer', target: s, finalizer: ORPHAN_FINALIZER });
      else for (const d of dependents) refUpdate(d).remove.add(uid);
    } else if (finalizing(s.obj, FOREGROUND_FINALIZER)) {
      const blocking = dependents.filter((d) => d.obj.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion === true));
      if (blocking.length === 0) actions.push({ kind: 'removeFinalizer', target: s, finalizer: FOREGROUND_FINALIZER });
    }
  }
  // A dependent being deleted anyway needs no reference surgery.
  const deleting = new Set(actions.filter((a) => a.kind === 'delete').map((a) => a.target.obj.metadata.uid));
  for (const u of updates.values()) if (!deleting.has(u.target.obj.metadata.uid)) actions.push(u);
  return actions;
}

/** An owner must live in the dependent's namespace, or be cluster-scoped. */
function ownerUsable(dependent: Stored, owner: Stored): boolean {
  if (!owner.namespaced) return true;
  if (!dependent.namespaced) return false;
  return (owner.obj.metadata.namespace ?? '') === (dependent.obj.metadata.namespace ?? '');
}
