import type { KubeObject } from '../types.ts';
import { fromFieldsV1, leafPaths, pathOf, toFieldsV1, valueAt } from '../patch/fieldset.ts';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface Manager {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  fields: Set<string>;
}

export function readManagers(obj: KubeObject | undefined): Manager[] {
  const entries = (obj?.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  return entries
    .filter((e) => e && typeof e.manager === 'string')
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      subresource: e.subresource,
      time: e.time,
      fields: fromFieldsV1(e.fieldsV1),
    }));
}

export function writeManagers(obj: KubeObject, managers: Manager[]): void {
  const entries: ManagedFieldsEntry[] = managers
    .filter((m) => m.fields.size > 0)
    .map((m) => {
      const e: ManagedFieldsEntry = {
        manager: m.manager,
        operation: m.operation,
        apiVersion: m.apiVersion,
        time: m.time,
        fieldsType: 'FieldsV1',
        fieldsV1: toFieldsV1(m.fields),
      };
      if (m.subresource) e.subresource = m.subresource;
      return e;
    });
  if (entries.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

export const sameManager = (a: Manager, b: Omit<Manager, 'fields' | 'time'>) =>
  a.manager === b.manager && a.operation === b.operation && (a.subresource ?? '') === (b.subresource ?? '') && a.apiVersion === b.apiVersion;

/**
 * Ownership after a non-apply write: the writer takes every field whose value it changed or
 * added, other managers lose those, and fields that disappeared are owned by nobody.
 */
export function recordUpdate(old: KubeObject | undefined, next: KubeObject, who: Omit<Manager, 'fields'>): void {
  const kind = next.kind;
  const before = old ? leafPaths(old, kind) : new Set<string>();
  const after = leafPaths(next, kind);
  const changed = new Set<string>();
  for (const p of after) {
    if (!before.has(p) || JSON.stringify(valueAt(old, pathOf(p))) !== JSON.stringify(valueAt(next, pathOf(p)))) changed.add(p);
  }
  const managers = readManagers(old ?? next).map((m) => {
    const fields = new Set([...m.fields].filter((p) => after.has(p) && !changed.has(p)));
    return { ...m, fields };
  });
  if (changed.size > 0) {
    let mine = managers.find((m) => sameManager(m, who));
    if (!mine) managers.push((mine = { ...who, fields: new Set() }));
    for (const p of changed) mine.fields.add(p);
    mine.time = who.time;
  }
  writeManagers(next, managers);
}

/** The default manager name when a request gives none: the user agent up to its first `/`. */
export function managerFromUserAgent(ua: string | null | undefined): string {
  if (!ua) return 'unknown';
  const cut = ua.indexOf('/');
  return (cut >= 0 ? ua.slice(0, cut) : ua).slice(0, 128) || 'unknown';
}
