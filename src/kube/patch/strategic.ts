import { isPlainObject } from './merge.ts';
import { fieldsOf, rootType, type FieldMeta } from './schema.ts';

type Obj = Record<string, unknown>;

export class StrategicPatchError extends Error {}

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';
const isDirectiveKey = (k: string) => k === '$patch' || k === '$retainKeys' || k.startsWith(SET_ORDER) || k.startsWith(DELETE_FROM);

/**
 * Strategic merge patch as kubectl's client-side apply, `set image` and `patch` send it:
 * maps merge, `null` deletes, keyed lists merge element by element (`$patch: delete` removes one,
 * `$setElementOrder` orders them), set-like primitive lists merge (`$deleteFromPrimitiveList`),
 * `$retainKeys` clears the other members of a union, `$patch: replace` replaces a map or list.
 */
export function strategicMergePatch(original: unknown, patch: unknown, kind: string): unknown {
  if (!isPlainObject(patch)) throw new StrategicPatchError('strategic merge patch must be a JSON object');
  const out = mergeMap(isPlainObject(original) ? original : {}, patch, rootType(kind));
  return out ?? {};
}

function keyOf(e: unknown, key: string): string | undefined {
  return isPlainObject(e) && e[key] !== undefined ? JSON.stringify(e[key]) : undefined;
}

function reorder(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const ident = (e: unknown) => (key ? keyOf(e, key) : JSON.stringify(e));
  const pos = new Map<string, number>();
  order.forEach((o, i) => {
    const k = ident(o);
    if (k !== undefined) pos.set(k, i);
  });
  const ordered = list.filter((e) => pos.has(ident(e) ?? '')).sort((a, b) => pos.get(ident(a)!)! - pos.get(ident(b)!)!);
  const rest = list.filter((e) => !pos.has(ident(e) ?? ''));
  return [...ordered, ...rest];
}

/** A value being added where nothing existed: its nested directives still apply (to nothing). */
function fresh(value: unknown, fm: FieldMeta): unknown {
  if (isPlainObject(value)) return mergeMap({}, value, fieldsOf(fm.type)) ?? {};
  if (Array.isArray(value)) return mergeList([], value, fm, undefined);
  return value;
}

function mergeMap(original: Obj, patch: Obj, fields: Record<string, FieldMeta>): Obj | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return mergeMap({}, rest, fields);
  }
  if (directive !== undefined && directive !== 'merge')
    throw new StrategicPatchError(`Unknown patch type: ${typeof directive === 'string' ? directive : JSON.stringify(directive)}`);
  const result: Obj = { ...original };
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(DELETE_FROM)) continue;
    const field = k.slice(DELETE_FROM.length);
    if (!Array.isArray(v)) throw new StrategicPatchError(`invalid value for ${k}: must be a list`);
    if (Array.isArray(result[field])) result[field] = (result[field] as unknown[]).filter((e) => !v.some((d) => JSON.stringify(d) === JSON.stringify(e)));
  }
  for (const [k, pv] of Object.entries(patch)) {
    if (isDirectiveKey(k)) continue;
    const fm = fields[k] ?? {};
    if (pv === null) {
      delete result[k];
      continue;
    }
    const ov = result[k];
    if (isPlainObject(pv)) {
      const merged = mergeMap(isPlainObject(ov) ? ov : {}, pv, fieldsOf(fm.type));
      if (merged === undefined) delete result[k];
      else result[k] = merged;
    } else if (Array.isArray(pv)) {
      const order = patch[SET_ORDER + k];
      result[k] = mergeList(Array.isArray(ov) ? ov : [], pv, fm, Array.isArray(order) ? order : undefined);
    } else {
      result[k] = pv;
    }
  }
  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(SET_ORDER)) continue;
    const field = k.slice(SET_ORDER.length);
    if (field in patch || !Array.isArray(result[field]) || !Array.isArray(order)) continue;
    result[field] = reorder(result[field] as unknown[], order, fields[field]?.key);
  }
  const retain = patch.$retainKeys;
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new StrategicPatchError('$retainKeys must be a list of strings');
    for (const k of Object.keys(result)) if (!retain.includes(k)) delete result[k];
  }
  return result;
}

function mergeList(original: unknown[], patch: unknown[], fm: FieldMeta, order: unknown[] | undefined): unknown[] {
  const replaceAll = patch.some((e) => isPlainObject(e) && e.$patch === 'replace' && Object.keys(e).length === 1);
  const elements = patch.filter((e) => !(isPlainObject(e) && e.$patch === 'replace' && Object.keys(e).length === 1));
  const elementFields = fieldsOf(fm.type);
  if (!fm.merge || replaceAll) {
    return elements.filter((e) => !(isPlainObject(e) && e.$patch === 'delete')).map((e) => fresh(e, { type: fm.type }));
  }
  if (!fm.key) {
    const result = [...original];
    for (const v of elements) if (!result.some((e) => JSON.stringify(e) === JSON.stringify(v))) result.push(v);
    return order ? reorder(result, order, undefined) : result;
  }
  const key = fm.key;
  let result = original.map((e) => (isPlainObject(e) ? { ...e } : e));
  for (const pe of elements) {
    if (!isPlainObject(pe)) throw new StrategicPatchError(`list ${key}-keyed elements must be objects`);
    const kv = keyOf(pe, key);
    if (kv === undefined) throw new StrategicPatchError(`map: ${JSON.stringify(pe)} does not contain declared merge key: ${key}`);
    const idx = result.findIndex((e) => keyOf(e, key) === kv);
    if (pe.$patch === 'delete') {
      result = result.filter((e) => keyOf(e, key) !== kv);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(result[idx] as Obj, pe, elementFields);
      if (merged === undefined) result.splice(idx, 1);
      else result[idx] = merged;
    } else {
      const created = mergeMap({}, pe, elementFields);
      if (created !== undefined) result.push(created);
    }
  }
  return order ? reorder(result, order, key) : result;
}
