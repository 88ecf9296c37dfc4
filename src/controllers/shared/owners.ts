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

export function withControllerRef(obj: KubeObject, owner: KubeObject): KubeObject {
  const next = structuredClone(obj);
  next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid), newControllerRef(owner)];
  return next;
}

export function withoutOwnerRef(obj: KubeObject, ownerUid: string): KubeObject {
  const next = structuredClone(obj);
  const refs = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  if (refs.length) next.metadata.ownerReferences = refs;
  else delete next.metadata.ownerReferences;
  return next;
}

export interface ClaimPlan {
  /** Already controlled by the owner and still selected. */
  owned: KubeObject[];
  /** Orphans the owner selects and takes over. */
  adopt: KubeObject[];
  /** Controlled by the owner but no longer selected: the owner lets go. */
  release: KubeObject[];
}

/**
 * controller-runtime's ClaimObjects: objects controlled by someone else are never touched; an
 * owner being deleted neither adopts nor releases; objects being deleted are not adopted.
 */
export function planClaims(owner: KubeObject, candidates: KubeObject[], selected: (o: KubeObject) => boolean): ClaimPlan {
  const plan: ClaimPlan = { owned: [], adopt: [], release: [] };
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
