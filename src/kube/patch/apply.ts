import type { KubeObject } from '../types.ts';
import { isPlainObject } from './merge.ts';
import { fieldsOf, rootType, type FieldMeta } from './schema.ts';
import { leafPaths, pathOf, removeAt, renderPath, valueAt } from './fieldset.ts';
import { readManagers, sameManager, writeManagers, type Manager } from '../objects/managed-fields.ts';

type Obj = Record<string, unknown>;

export interface ApplyConflict {
  manager: string;
  apiVersion: string;
  field: string;
}

export class ApplyConflictError extends Error {
  constructor(readonly conflicts: ApplyConflict[]) {
    super('apply conflicts');
  }
}

/** Merges an applied configuration into the live object: keyed lists by key, atomic values whole. */
function applyMerge(live: Obj, applied: Obj, fields: Record<string, FieldMeta>): Obj {
  const out: Obj = { ...live };
  for (const [k, av] of Object.entries(applied)) {
    const fm = fields[k] ?? {};
    if (av === null) {
      delete out[k];
      continue;
    }
    const lv = out[k];
    if (isPlainObject(av) && !fm.atomic) {
      out[k] = applyMerge(isPlainObject(lv) ? lv : {}, av, fieldsOf(fm.type));
    } else if (Array.isArray(av) && fm.key && Array.isArray(lv)) {
      const key = fm.key;
      const result = lv.map((e) => e);
      for (const item of av) {
        if (!isPlainObject(item)) continue;
        const idx = result.findIndex((e) => isPlainObject(e) && JSON.stringify(e[key]) === JSON.stringify(item[key]));
        if (idx >= 0) result[idx] = applyMerge(result[idx] as Obj, item, fieldsOf(fm.type));
        else result.push(structuredClone(item));
      }
      out[k] = result;
    } else if (Array.isArray(av) && fm.merge && !fm.key && Array.isArray(lv)) {
      const result = [...lv];
      for (const v of av) if (!result.some((e) => JSON.stringify(e) === JSON.stringify(v))) result.push(v);
      out[k] = result;
    } else {
      out[k] = structuredClone(av);
    }
  }
  return out;
}

export interface ApplyRequest {
  manager: string;
  apiVersion: string;
  force: boolean;
  time: string;
}

/**
 * Server-side apply of `applied` over `live` (undefined when the object is new). Conflicts are
 * fields another manager owns with a different value (refused unless forced, which takes them
 * over); fields this manager applied before and dropped now are removed unless someone else
 * owns them. Returns the merged object with updated managedFields.
 */
export function serverSideApply(live: KubeObject | undefined, applied: KubeObject, req: ApplyRequest): KubeObject {
  const kind = applied.kind;
  const me = { manager: req.manager, operation: 'Apply' as const, apiVersion: req.apiVersion };
  const managers: Manager[] = readManagers(live);
  const mine = managers.find((m) => sameManager(m, me));
  const wanted = leafPaths(applied, kind);
  const conflicts: ApplyConflict[] = [];
  if (live) {
    for (const m of managers) {
      if (m === mine) continue;
      for (const p of wanted) {
        if (!m.fields.has(p) || p.endsWith('.')) continue;
        const path = pathOf(p);
        if (JSON.stringify(valueAt(live, path)) === JSON.stringify(valueAt(applied, path))) continue;
        if (req.force) m.fields.delete(p);
        else conflicts.push({ manager: m.manager, apiVersion: m.apiVersion, field: renderPath(path) });
      }
    }
  }
  if (conflicts.length) throw new ApplyConflictError(conflicts);
  const base: Obj = live ? structuredClone(live) : {};
  if (mine) {
    const othersOwn = (p: string) =>
      managers.some((m) => m !== mine && [...m.fields].some((q) => q === p || q.startsWith(p.endsWith('.') ? p.slice(0, -1) : `${p}\u0001`)));
    for (const p of mine.fields) if (!wanted.has(p) && !othersOwn(p)) removeAt(base, pathOf(p));
  }
  const merged = applyMerge(base, applied as Obj, rootType(kind)) as KubeObject;
  merged.metadata = { ...(merged.metadata ?? {}) };
  const next = managers.filter((m) => m !== mine);
  next.unshift({ ...me, time: req.time, fields: wanted });
  writeManagers(merged, next);
  return merged;
}

/** Kubernetes' 409 text for apply conflicts. */
export function conflictMessage(conflicts: ApplyConflict[]): string {
  const n = conflicts.length;
  if (n === 1) {
    const c = conflicts[0];
    return `Apply failed with 1 conflict: conflict with "${c.manager}" using ${c.apiVersion}: ${c.field}`;
  }
  const byManager = new Map<string, ApplyConflict[]>();
  for (const c of conflicts) byManager.set(`${c.manager}\u0000${c.apiVersion}`, [...(byManager.get(`${c.manager}\u0000${c.apiVersion}`) ?? []), c]);
  const parts = [...byManager.values()].map(
    (cs) => `conflicts with "${cs[0].manager}" using ${cs[0].apiVersion}:\n${cs.map((c) => `- ${c.field}`).join('\n')}`,
  );
  return `Apply failed with ${n} conflicts: ${parts.join('\n')}`;
}
