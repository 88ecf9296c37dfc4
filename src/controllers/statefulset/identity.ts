import type { ClaimTemplate, PersistentVolumeClaim, Pod, PodTemplate, StatefulSet, WithSpec } from '../../kube/objects.ts';
import type { OwnerReference } from '../../kube/types.ts';
import { podFromTemplate } from '../shared/pod-factory.ts';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

/** The ordinal of `<parent>-<n>`, or -1 when the pod is not a member of `setName`. */
export function ordinalOf(pod: Pod, setName: string): number {
  const m = /^(.*)-([0-9]+)$/.exec(pod.metadata.name ?? '');
  if (!m || m[1] !== setName) return -1;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? n : -1;
}

export function ordinalStart(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

export function replicasOf(set: StatefulSet): number {
  return set.spec?.replicas ?? 1;
}

export function inOrdinalRange(set: StatefulSet, ordinal: number): boolean {
  const start = ordinalStart(set);
  return ordinal >= start && ordinal < start + replicasOf(set);
}

export function claimName(template: ClaimTemplate, set: StatefulSet, ordinal: number): string {
  return `${template.metadata?.name}-${set.metadata.name}-${ordinal}`;
}

export function podRevision(pod: Pod): string | undefined {
  return pod.metadata.labels?.[REVISION_LABEL];
}

/**
 * newVersionedStatefulSetPod: pod `<set>-<ordinal>` from the set's template at `revision`, with
 * its stable identity (hostname, subdomain for the headless Service, identity labels) and one
 * volume per claim template pointing at that ordinal's PVC.
 */
export function newStatefulSetPod(set: StatefulSet, template: PodTemplate | undefined, ordinal: number, revision: string): Pod {
  const name = `${set.metadata.name}-${ordinal}`;
  const pod = podFromTemplate(template, {
    name,
    namespace: set.metadata.namespace ?? '',
    owner: set,
    labels: { [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revision },
  });
  pod.spec.hostname = name;
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
  applyStorage(set, pod, ordinal);
  return pod;
}

/** updateStorage: each claim template becomes a PVC volume, replacing a template volume of that name. */
function applyStorage(set: StatefulSet, pod: WithSpec<Pod>, ordinal: number): void {
  const claims = set.spec?.volumeClaimTemplates ?? [];
  if (!claims.length) return;
  const names = new Set(claims.map((t) => t.metadata?.name));
  const volumes = (pod.spec.volumes ?? []).filter((v) => !names.has(v.name));
  // Validation requires a name on every claim template.
  for (const t of claims) volumes.push({ name: t.metadata!.name!, persistentVolumeClaim: { claimName: claimName(t, set, ordinal) } });
  pod.spec.volumes = volumes;
}

/** identityMatches and storageMatches: an existing pod still carries its stable identity and claims. */
export function podIdentityIntact(set: StatefulSet, pod: Pod, ordinal: number): boolean {
  const name = `${set.metadata.name}-${ordinal}`;
  if (pod.metadata.name !== name || pod.metadata.labels?.[POD_NAME_LABEL] !== name) return false;
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const v = (pod.spec?.volumes ?? []).find((x) => x.name === t.metadata?.name);
    if (v?.persistentVolumeClaim?.claimName !== claimName(t, set, ordinal)) return false;
  }
  return true;
}

/** Restores identity labels, hostname, subdomain and claim volumes on an existing pod. */
export function restoreIdentity(set: StatefulSet, pod: Pod, ordinal: number): Pod {
  const next = structuredClone(pod) as WithSpec<Pod>; // a stored pod has a spec: validation requires containers
  const name = `${set.metadata.name}-${ordinal}`;
  next.metadata.labels = { ...(next.metadata.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) };
  next.spec.hostname = name;
  if (set.spec?.serviceName) next.spec.subdomain = set.spec.serviceName;
  applyStorage(set, next, ordinal);
  return next;
}

/** The PVC for one claim template and ordinal, labelled with the set's selector. */
export function newClaim(set: StatefulSet, template: ClaimTemplate, ordinal: number): PersistentVolumeClaim {
  const labels = { ...(template.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) };
  const claim: PersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claimName(template, set, ordinal), namespace: set.metadata.namespace, labels },
    spec: { volumeMode: 'Filesystem', ...structuredClone(template.spec ?? {}) },
    status: { phase: 'Pending' },
  };
  if (template.metadata?.annotations) claim.metadata.annotations = { ...template.metadata.annotations };
  return claim;
}

/**
 * persistentVolumeClaimRetentionPolicy as owner references (updateClaimOwnerRefForSetAndPod):
 * whenDeleted=Delete makes the set an owner; whenScaled=Delete makes a condemned pod the owner,
 * so the garbage collector removes the claim with it. Returns the refs the claim should carry.
 */
export function claimOwnerRefs(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod | undefined, ordinal: number): OwnerReference[] {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  const whenDeleted = policy.whenDeleted === 'Delete';
  const whenScaled = policy.whenScaled === 'Delete';
  const condemned = !inOrdinalRange(set, ordinal);
  const keep = (claim.metadata.ownerReferences ?? []).filter((r) => r.uid !== set.metadata.uid && r.uid !== pod?.metadata.uid);
  const setRef: OwnerReference = { apiVersion: set.apiVersion, kind: set.kind, name: set.metadata.name!, uid: set.metadata.uid! };
  const podRef: OwnerReference | undefined = pod ? { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid! } : undefined;
  const refs = [...keep];
  if (whenScaled && condemned) {
    if (podRef) refs.push(podRef);
    else if (whenDeleted) refs.push(setRef);
  } else if (whenDeleted) {
    refs.push(setRef);
  }
  return refs;
}
