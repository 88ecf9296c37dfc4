import { isPlainObject } from './merge.ts';
import { fieldsOf, rootType, type FieldMeta } from './schema.ts';

/**
 * Field ownership for server-side apply, in the FieldsV1 vocabulary: a path is a list of
 * elements `f:<field>`, `k:{"<key>":<value>}` (keyed list item), `v:<json>` (set member) and `.`
 * (the list item itself). A set is kept as serialized leaf paths.
 */
export type Path = string[];
const SEP = '\u0001';

export const pathKey = (p: Path) => p.join(SEP);
export const pathOf = (k: string): Path => k.split(SEP);

/** Identity and server-owned metadata are never owned by a manager. */
const SKIP_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

type Obj = Record<string, unknown>;

function itemKey(item: Obj, key: string): string {
  return `k:${JSON.stringify({ [key]: item[key] })}`;
}

function walk(value: unknown, fields: Record<string, FieldMeta>, prefix: Path, out: Set<string>, root: boolean, inMeta: boolean): void {
  if (!isPlainObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (root && (k === 'apiVersion' || k === 'kind')) continue;
    if (inMeta && SKIP_META.has(k)) continue;
    if (v === null || v === undefined) continue;
    const fm = fields[k] ?? {};
    const p = [...prefix, `f:${k}`];
    if (fm.atomic || (!isPlainObject(v) && !Array.isArray(v))) {
      out.add(pathKey(p));
    } else if (isPlainObject(v)) {
      if (Object.keys(v).length === 0) out.add(pathKey(p));
      else walk(v, fieldsOf(fm.type), p, out, false, root && k === 'metadata');
    } else if (Array.isArray(v)) {
      if (fm.key) {
        for (const item of v) {
          if (!isPlainObject(item) || item[fm.key] === undefined) continue;
          const ip = [...p, itemKey(item, fm.key)];
          out.add(pathKey([...ip, '.']));
          walk(item, fieldsOf(fm.type), ip, out, false, false);
        }
      } else if (fm.merge) {
        for (const item of v) out.add(pathKey([...p, `v:${JSON.stringify(item)}`]));
      } else {
        out.add(pathKey(p));
      }
    }
  }
}

/** Every leaf path an object (or an applied configuration) sets. */
export function leafPaths(obj: unknown, kind: string): Set<string> {
  const out = new Set<string>();
  walk(obj, rootType(kind), [], out, true, false);
  return out;
}

/** The value at a path, or undefined. `.` yields the list item itself. */
export function valueAt(obj: unknown, path: Path): unknown {
  let cur: unknown = obj;
  for (const el of path) {
    if (el === '.') return cur;
    if (el.startsWith('f:')) {
      if (!isPlainObject(cur)) return undefined;
      cur = cur[el.slice(2)];
    } else if (el.startsWith('k:')) {
      if (!Array.isArray(cur)) return undefined;
      const want = JSON.parse(el.slice(2)) as Obj;
      const [[key, val]] = Object.entries(want);
      cur = cur.find((i) => isPlainObject(i) && JSON.stringify(i[key]) === JSON.stringify(val));
    } else if (el.startsWith('v:')) {
      if (!Array.isArray(cur)) return undefined;
      const want = el.slice(2);
      return cur.some((i) => JSON.stringify(i) === want) ? JSON.parse(want) : undefined;
    } else return undefined;
  }
  return cur;
}

/** Removes the field (or list item / set member) at a path; missing paths are ignored. */
export function removeAt(obj: unknown, path: Path): void {
  const last = path[path.length - 1];
  if (last === '.') {
    removeAt(obj, path.slice(0, -1));
    return;
  }
  const parent = valueAt(obj, path.slice(0, -1));
  if (last.startsWith('f:') && isPlainObject(parent)) delete parent[last.slice(2)];
  else if ((last.startsWith('k:') || last.startsWith('v:')) && Array.isArray(parent)) {
    const target = valueAt(obj, path);
    const idx = parent.indexOf(target);
    if (idx >= 0 && last.startsWith('k:')) parent.splice(idx, 1);
    else if (last.startsWith('v:')) {
      const i = parent.findIndex((e) => JSON.stringify(e) === last.slice(2));
      if (i >= 0) parent.splice(i, 1);
    }
  }
}

/** `.spec.template.spec.containers[name="c"].image`, as conflict messages print paths. */
export function renderPath(path: Path): string {
  let s = '';
  for (const el of path) {
    if (el === '.') continue;
    if (el.startsWith('f:')) s += `.${el.slice(2)}`;
    else if (el.startsWith('k:')) {
      const o = JSON.parse(el.slice(2)) as Obj;
      s += `[${Object.entries(o)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    } else if (el.startsWith('v:')) s += `[=${el.slice(2)}]`;
  }
  return s;
}

/** A leaf set as the FieldsV1 trie stored in managedFields. */
export function toFieldsV1(set: Set<string>): Obj {
  const root: Obj = {};
  for (const key of set) {
    let node = root;
    for (const el of pathOf(key)) node = (node[el] ??= {}) as Obj;
  }
  return root;
}

export function fromFieldsV1(trie: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (node: unknown, prefix: Path) => {
    if (!isPlainObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && prefix.length) {
      out.add(pathKey(prefix));
      return;
    }
    for (const k of keys) visit(node[k], [...prefix, k]);
  };
  visit(trie, []);
  return out;
}
