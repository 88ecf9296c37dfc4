import type { KubeObject, OwnerReference } from '../../kube/types.ts';

/** The ownerReference with `controller: true`, if any (metav1.GetControllerOf). */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata.uid;
}

/** The reference a controller puts on what it creates: controller and blocking foreground deletion. */
export function newControllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function withControllerRef<T extends KubeObject>(obj: T, owner: KubeObject): T {
  const next = structuredClone(obj);
  next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid), newControllerRef(owner)];
  return next;
}

export function withoutOwnerRef<T extends KubeObject>(obj: T, ownerUid: string): T {
  const next = structuredClone(obj);
  const refs = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  if (refs.length) next.metadata.ownerReferences = refs;
  else delete next.metadata.ownerReferences;
  return next;
}

export interface ClaimPlan<T extends KubeObject = KubeObject> {
  /** Already controlled by the owner and still selected. */
  owned: T[];
  /** Orphans the owner selects and takes over. */
  adopt: T[];
  /** Controlled by the owner but no longer selected: the owner lets go. */
  release: T[];
}

/**
 * controller-runtime's ClaimObjects: objects controlled by someone else are never touched; an
 * owner being deleted neither adopts nor releases; objects being deleted are not adopted.
 */
export function planClaims<T extends KubeObject>(owner: KubeObject, candidates: T[], selected: (o: T) => boolean): ClaimPlan<T> {
  const plan: ClaimPlan<T> = { owned: [], adopt: [], release: [] };
  const ownerDeleting = Boolean(owner.metadata.deletionTimestamp);
  for (const obj of candidates) {
    const ref = controllerOf(obj);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (selected(obj)) plan.owned.push(obj);
      else if (ownerDeleting) plan.owned.push(obj);
      else plan.release.push(obj);
      continue;
    }
    if (ownerDeleting || obj.metadata.deletionTimestamp || !selected(obj)) continue;
    if (obj.metadata.namespace !== owner.metadata.namespace) continue;
    plan.adopt.push(obj);
  }
  return plan;
}
