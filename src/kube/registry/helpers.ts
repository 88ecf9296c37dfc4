import { ALL_VERBS, type GroupVersionKind, type ResourceDef, type SubresourceDef, type Verb } from './types.ts';
import { selectorString, fromLabelSelector } from '../selectors/labels.ts';
import type { KubeObject } from '../types.ts';

const RW: Verb[] = ['get', 'patch', 'update'];

export function statusSub(gvk: GroupVersionKind): SubresourceDef {
  return { name: 'status', responseKind: gvk, verbs: RW };
}

export const scaleSub: SubresourceDef = { name: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: RW };

/** A resource with all verbs and a DNS-1123 subdomain name unless told otherwise. */
export function resource(def: Omit<ResourceDef, 'verbs' | 'nameRule' | 'storage'> & Partial<Pick<ResourceDef, 'verbs' | 'nameRule' | 'storage'>>): ResourceDef {
  return {
    verbs: ALL_VERBS,
    nameRule: 'subdomain',
    storage: def.group ? `${def.plural}.${def.group}` : def.plural,
    ...def,
  };
}

/** Scale `status.selector` of workloads with a structured `spec.selector`. */
export const specSelectorScale = {
  selector(obj: KubeObject): string {
    try {
      return selectorString(fromLabelSelector(obj.spec?.selector) ?? []);
    } catch {
      return '';
    }
  },
};
