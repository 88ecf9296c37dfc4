import type { KubeObject } from '../types.ts';
import { fieldsOf, listOf } from '../json.ts';
import { fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '../status.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validateRules(rules: unknown, namespaced: boolean, path = 'rules'): FieldError[] {
  if (rules === undefined || rules === null) return [];
  if (!Array.isArray(rules)) return [fieldInvalid(path, rules, 'must be a list of rules')];
  const errs: FieldError[] = [];
  rules.forEach((raw: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!raw || typeof raw !== 'object') return errs.push(fieldInvalid(p, raw, 'must be an object'));
    const r = fieldsOf(raw);
    if (!Array.isArray(r.verbs) || r.verbs.length === 0) errs.push(fieldRequired(`${p}.verbs`, 'verbs must contain at least one value'));
    const urls = Array.isArray(r.nonResourceURLs) ? r.nonResourceURLs : [];
    if (urls.length) {
      if (namespaced) errs.push(fieldInvalid(`${p}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (fieldsOf(r.apiGroups).length || fieldsOf(r.resources).length || fieldsOf(r.resourceNames).length)
        errs.push(fieldInvalid(`${p}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      return;
    }
    if (!Array.isArray(r.apiGroups) || r.apiGroups.length === 0)
      errs.push(fieldRequired(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
    if (!Array.isArray(r.resources) || r.resources.length === 0) errs.push(fieldRequired(`${p}.resources`, 'resource rules must supply at least one resource'));
    for (const f of ['verbs', 'apiGroups', 'resources', 'resourceNames'] as const) {
      const list = r[f];
      if (list !== undefined && (!Array.isArray(list) || list.some((v: unknown) => typeof v !== 'string')))
        errs.push(fieldInvalid(`${p}.${f}`, list, 'must be a list of strings'));
    }
  });
  return errs;
}

export const validateRole = (role: KubeObject): FieldError[] => validateRules(role.rules, true);
export const validateClusterRole = (role: KubeObject): FieldError[] => validateRules(role.rules, false);

function validateBinding(b: KubeObject, old: KubeObject | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!b.roleRef || typeof b.roleRef !== 'object') errs.push(fieldRequired('roleRef', ''));
  else {
    const ref = fieldsOf(b.roleRef);
    if (ref.apiGroup !== RBAC_GROUP) errs.push(fieldNotSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
    const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (!kinds.includes(ref.kind as string)) errs.push(fieldNotSupported('roleRef.kind', ref.kind ?? '', kinds));
    if (typeof ref.name !== 'string' || !ref.name) errs.push(fieldRequired('roleRef.name', ''));
  }
  if (old && JSON.stringify(old.roleRef) !== JSON.stringify(b.roleRef)) errs.push(fieldInvalid('roleRef', b.roleRef, 'cannot change roleRef'));
  const subjects = b.subjects;
  if (subjects !== undefined && subjects !== null && !Array.isArray(subjects))
    return [...errs, fieldInvalid('subjects', subjects, 'must be a list of subjects')];
  listOf(subjects).forEach((raw, i) => {
    const p = `subjects[${i}]`;
    if (!raw || typeof raw !== 'object') return errs.push(fieldInvalid(p, raw, 'must be an object'));
    const s = fieldsOf(raw);
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
  for (const raw of b.subjects as unknown[]) {
    if (!raw || typeof raw !== 'object') continue;
    const s = raw as Record<string, unknown>;
    if ((s.kind === 'User' || s.kind === 'Group') && s.apiGroup === undefined) s.apiGroup = RBAC_GROUP;
  }
}
