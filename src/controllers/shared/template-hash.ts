import type { PodTemplate } from '../../kube/objects.ts';
import { canonicalJson } from './canonical.ts';
import { fnv1a32, utf8 } from './fnv.ts';
import { safeEncode } from './names.ts';
import { defaultPodTemplate } from '../../kube/defaults/pod.ts';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** The template as compared and hashed: defaulted, without the hash label or creationTimestamp. */
export function canonicalTemplate(template: PodTemplate | undefined): string {
  const t: PodTemplate = structuredClone(template ?? {});
  // The same defaults the API applies on create, so a template that skipped them compares equal.
  defaultPodTemplate(t);
  const meta = t.metadata!; // set by defaultPodTemplate
  delete meta.creationTimestamp;
  if (meta.labels) delete meta.labels[POD_TEMPLATE_HASH_LABEL];
  return canonicalJson(t);
}

/**
 * Kubernetes' ComputeHash: 32-bit FNV-1a over the template, then over collisionCount (a uint32,
 * little-endian, in an 8-byte buffer) when set, printed in decimal and mapped into the
 * generateName alphabet. The same template always maps to the same ReplicaSet name.
 */
export function computeTemplateHash(template: PodTemplate | undefined, collisionCount?: number | null): string {
  let h = fnv1a32(utf8(canonicalTemplate(template)));
  if (typeof collisionCount === 'number') {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a32(bytes, h);
  }
  return safeEncode(String(h));
}

/** EqualIgnoreHash: templates equal once defaults are applied and the hash label is ignored. */
export function templatesEqualIgnoringHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return canonicalTemplate(a) === canonicalTemplate(b);
}
