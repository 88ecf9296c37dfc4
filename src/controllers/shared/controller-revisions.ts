import type { KubeObject } from '../../kube/types.ts';
import type { ControllerRevision, PodTemplate } from '../../kube/objects.ts';
import { fnv1_32, utf8 } from './fnv.ts';
import { safeEncode } from './names.ts';
import { newControllerRef } from './owners.ts';
import { canonicalTemplate } from './template-hash.ts';

/** Label a ControllerRevision carries with its hash (history.ControllerRevisionHashLabel). */
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

/** What a StatefulSet or DaemonSet revision stores: a patch that replaces the pod template. */
export interface RevisionData {
  spec: { template: PodTemplate & { $patch?: 'replace' } };
}

export function revisionData(template: PodTemplate | undefined): RevisionData {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

export function templateOfRevision(rev: ControllerRevision): PodTemplate {
  // Upstream types `data` as any raw object; kates' revisions always hold a RevisionData.
  const t = structuredClone((rev.data as Partial<RevisionData> | undefined)?.spec?.template ?? {});
  delete t.$patch;
  return t;
}

/** history.HashControllerRevision: 32-bit FNV-1 over the data, then the collision count in decimal. */
export function hashRevisionTemplate(template: PodTemplate | undefined, collisionCount?: number): string {
  let text = canonicalTemplate(template);
  if (typeof collisionCount === 'number' && collisionCount > 0) text += String(collisionCount);
  return safeEncode(String(fnv1_32(utf8(text))));
}

/** history.NewControllerRevision, named `<parent>-<hash>` (the prefix cut to 223 characters). */
export function newControllerRevision(
  parent: KubeObject,
  template: PodTemplate | undefined,
  revision: number,
  hash: string,
  extraLabels: Record<string, string> = {},
): ControllerRevision {
  const labels = { ...(template?.metadata?.labels ?? {}), ...extraLabels, [REVISION_HASH_LABEL]: hash };
  const rev: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${parent.metadata.name!.slice(0, 223)}-${hash}`,
      namespace: parent.metadata.namespace,
      labels,
      ownerReferences: [newControllerRef(parent)],
    },
    data: revisionData(template),
    revision,
  };
  if (parent.metadata.annotations && Object.keys(parent.metadata.annotations).length) {
    const ann = { ...parent.metadata.annotations };
    delete ann['kubectl.kubernetes.io/last-applied-configuration'];
    if (Object.keys(ann).length) rev.metadata.annotations = ann;
  }
  return rev;
}

export function revisionNumber(rev: ControllerRevision): number {
  return Number(rev.revision ?? 0);
}

/** history.EqualRevision: the same template once defaults are applied. */
export function revisionsEqual(a: ControllerRevision, b: ControllerRevision): boolean {
  return canonicalTemplate(templateOfRevision(a)) === canonicalTemplate(templateOfRevision(b));
}

/** Ascending by revision number, then creation time, then name. */
export function sortRevisions(revs: ControllerRevision[]): ControllerRevision[] {
  return [...revs].sort((a, b) => {
    const d = revisionNumber(a) - revisionNumber(b);
    if (d) return d;
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return ta < tb ? -1 : 1;
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  });
}

export function nextRevisionNumber(sorted: ControllerRevision[]): number {
  return sorted.length ? revisionNumber(sorted[sorted.length - 1]) + 1 : 1;
}
