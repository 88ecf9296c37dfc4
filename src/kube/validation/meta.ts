import type { KubeObject } from '../types.ts';
import { fieldForbidden, fieldInvalid, fieldRequired, type FieldError } from '../status.ts';
import { nameProblems, qualifiedNameProblems, validateAnnotations, validateLabels, type NameRule } from './names.ts';

/** ObjectMeta validation shared by every kind (ValidateObjectMeta). */
export function validateObjectMeta(obj: KubeObject, rule: NameRule, namespaced: boolean): FieldError[] {
  const m = obj.metadata;
  const errs: FieldError[] = [];
  if (!m.name) {
    errs.push(fieldRequired('metadata.name', 'name or generateName is required'));
  } else {
    for (const p of nameProblems(m.name, rule)) errs.push(fieldInvalid('metadata.name', m.name, p));
  }
  if (namespaced && !m.namespace) errs.push(fieldRequired('metadata.namespace'));
  if (!namespaced && m.namespace) errs.push(fieldForbidden('metadata.namespace', 'not allowed on this type'));
  errs.push(...validateLabels(m.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(m.annotations, 'metadata.annotations'));
  const owners = m.ownerReferences ?? [];
  if (!Array.isArray(owners)) {
    errs.push(fieldInvalid('metadata.ownerReferences', owners, 'must be a list'));
  } else {
    let controllers = 0;
    owners.forEach((o, i) => {
      const p = `metadata.ownerReferences[${i}]`;
      if (!o?.apiVersion) errs.push(fieldInvalid(`${p}.apiVersion`, o?.apiVersion ?? '', 'version must not be empty'));
      if (!o?.kind) errs.push(fieldInvalid(`${p}.kind`, o?.kind ?? '', 'kind must not be empty'));
      if (!o?.name) errs.push(fieldInvalid(`${p}.name`, o?.name ?? '', 'name must not be empty'));
      if (!o?.uid) errs.push(fieldInvalid(`${p}.uid`, o?.uid ?? '', 'uid must not be empty'));
      if (o?.controller) controllers++;
    });
    if (controllers > 1) errs.push(fieldInvalid('metadata.ownerReferences', owners, 'Only one reference can have Controller set to true'));
  }
  (m.finalizers ?? []).forEach((f, i) => {
    if (typeof f !== 'string') errs.push(fieldInvalid(`metadata.finalizers[${i}]`, f, 'must be a string'));
    else for (const p of qualifiedNameProblems(f)) errs.push(fieldInvalid(`metadata.finalizers[${i}]`, f, p));
  });
  return errs;
}

/** Finalizers may not be added once deletion started (the handler keeps identity fields from the stored object). */
export function validateMetaUpdate(next: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const added = (next.metadata.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
  if (old.metadata.deletionTimestamp && added.length > 0) {
    errs.push(
      fieldForbidden(
        'metadata.finalizers',
        `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
      ),
    );
  }
  return errs;
}

/** A field that may not change after creation: `<path>: Invalid value: ...: field is immutable`. */
export function immutable(path: string, next: unknown, old: unknown): FieldError[] {
  return JSON.stringify(next) === JSON.stringify(old) ? [] : [fieldInvalid(path, next, 'field is immutable')];
}
