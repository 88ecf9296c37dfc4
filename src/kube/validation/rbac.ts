/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../types.ts';
import { fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '../status.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validateRules(rules: unknown, namespaced: boolean, path = 'rules'): FieldError[] {
  if (rules === undefined || rules === null) return [];
  if (!Array.isArray(rules)) return [fieldInvalid(path, rules, 'must be a list of rules')];
  const errs: FieldError[] = [];
  rules.forEach((r: any, i) => {
    const p = `${path}[${i}]`;
    if (!r || typeof r !== 'object') return errs.push(fieldInvalid(p, r, 'must be an object'));
    if (!Array.isArray(r.verbs) || r.verbs.length === 0) errs.push(fieldRequired(`${p}.verbs`, 'verbs must contain at least one value'));
    const urls = Array.isArray(r.nonResourceURLs) ? r.nonResourceURLs : [];
    if (urls.length) {
      if (namespaced) errs.push(fieldInvalid(`${p}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (r.apiGroups?.length || r.resources?.length || r.resourceNames?.length)
        errs.push(fieldInvalid(`${p}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      return;
    }
    if (!Array.isArray(r.apiGroups) || r.apiGroups.length === 0)
      errs.push(fieldRequired(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
    if (!Array.isArray(r.resources) || r.resources.length === 0) errs.push(fieldRequired(`${p}.resources`, 'resource rules must supply at least one resource'));
    for (const f of ['verbs', 'apiGroups', 'resources', 'resourceNames'] as const) {
      if (r[f] !== undefined && (!Array.isArray(r[f]) || r[f].some((v: unknown) => typeof v !== 'string')))
        errs.push(fieldInvalid(`${p}.${f}`, r[f], 'must be a list of strings'));
    }
  });
  return errs;
}

export const validateRole = (role: KubeObject): FieldError[] => validateRules(role.rules, true);
export const validateClusterRole = (role: KubeObject): FieldError[] => validateRules(role.rules, false);

function validateBinding(b: KubeObject, old: KubeObject | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = b.roleRef as any;
  if (!ref || typeof ref !== 'object') errs.push(fieldRequired('roleRef', ''));
  else {
    if (ref.apiGroup !== RBAC_GROUP) errs.push(fieldNotSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
    const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (!kinds.includes(ref.kind)) errs.push(fieldNotSupported('roleRef.kind', ref.kind ?? '', kinds));
    if (typeof ref.name !== 'string' || !ref.name) errs.push(fieldRequired('roleRef.name', ''));
  }
  if (old && JSON.stringify(old.roleRef) !== JSON.stringify(b.roleRef)) errs.push(fieldInvalid('roleRef', b.roleRef, 'cannot change roleRef'));
  const subjects = b.subjects;
  if (subjects !== undefined && subjects !== null && !Array.isArray(subjects))
    return [...errs, fieldInvalid('subjects', subjects, 'must be a list of subjects')];
  ((subjects as any[]) ?? []).forEach((s, i) => {
    const p = `subjects[${i}]`;
    if (!s || typeof s !== 'object') return errs.push(fieldInvalid(p, s, 'must be an object'));
    if (typeof s.name !== 'string' || !s.name) errs.push(fieldRequired(`${p}.name`, ''));
    switch (s.kind) {
      case 'ServiceAccount':
        if (s.apiGroup) errs.push(fieldNotSupported(`${p}.apiGroup`, s.apiGroup, ['']));
        if (!namespaced && !s.namespace) errs.push(fieldRequired(`${p}.namespace`, ''));
        break;
      case 'User':
      case 'Group':
        if (s.apiGroup !== RBAC_GROUP) errs.push(fieldNotSupported(`${p}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
        break;
      default:
        errs.push(fieldNotSupported(`${p}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  return errs;
}

export const validateRoleBinding = (b: KubeObject, old?: KubeObject): FieldError[] => validateBinding(b, old, true);
export const validateClusterRoleBinding = (b: KubeObject, old?: KubeObject): FieldError[] => validateBinding(b, old, false);

/** Subjects of kind User and Group default their apiGroup, as the API server's defaulting does. */
export function defaultBinding(b: KubeObject): void {
  if (!Array.isArray(b.subjects)) return;
  for (const s of b.subjects as any[]) {
    if (s && typeof s === 'object' && (s.kind === 'User' || s.kind === 'Group') && s.apiGroup === undefined) s.apiGroup = RBAC_GROUP;
  }
}
