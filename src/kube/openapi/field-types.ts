import type { KubeObject } from '../types.ts';
import { fieldInvalid, type FieldError } from '../status.ts';
import { isPlainObject } from '../patch/merge.ts';
import { CATALOG } from './catalog/index.ts';

/**
 * The decoding step of the API server: every field the kind's schema knows must have its JSON
 * type (a `spec` that is a string, a ConfigMap value that is a number), checked before defaulting
 * and validation read the object. Known fields that are null are dropped, as Go's decoder leaves
 * them unset. Kinds the catalog does not describe still get object-typed `spec` and `status`.
 */
export function fieldTypeErrors(kind: string, obj: KubeObject, described: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (described) {
    walkType(obj, kind, '', errs);
    return errs;
  }
  walkType(obj.metadata, 'ObjectMeta', 'metadata', errs);
  for (const f of ['spec', 'status']) {
    if (obj[f] === null) delete obj[f];
    else if (obj[f] !== undefined && !isPlainObject(obj[f])) errs.push(typeInvalid(f, obj[f], 'object'));
  }
  return errs;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v;
}

/** `spec: Invalid value: "string": must be of type object`: the value itself may be huge, so only its type is shown. */
function typeInvalid(path: string, v: unknown, want: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field: path, value: jsonType(v), detail: `must be of type ${want}` };
}

const SCALARS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  Time: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  number: (v) => typeof v === 'number',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  Quantity: (v) => typeof v === 'string' || typeof v === 'number',
  IntOrString: (v) => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)),
  object: isPlainObject,
};
const WANT: Record<string, string> = { Time: 'string', Quantity: 'string', IntOrString: 'integer or string' };

function walkType(v: unknown, type: string, path: string, errs: FieldError[]): void {
  if (type.startsWith('[]')) {
    if (!Array.isArray(v)) return void errs.push(typeInvalid(path, v, 'array'));
    v.forEach((item, i) => walkType(item, type.slice(2), `${path}[${i}]`, errs));
    return;
  }
  if (type.startsWith('map[string]')) {
    if (!isPlainObject(v)) return void errs.push(typeInvalid(path, v, 'object'));
    for (const [k, item] of Object.entries(v)) walkType(item, type.slice('map[string]'.length), `${path}[${k}]`, errs);
    return;
  }
  const scalar = SCALARS[type];
  if (scalar) {
    if (!scalar(v)) errs.push(typeInvalid(path, v, WANT[type] ?? type));
    else if (typeof v === 'number' && (type === 'integer' || type === 'IntOrString') && !Number.isSafeInteger(v)) {
      errs.push(fieldInvalid(path, v, `must be between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`));
    }
    return;
  }
  const t = CATALOG[type];
  if (!t) return;
  if (!isPlainObject(v)) return void errs.push(typeInvalid(path, v, 'object'));
  for (const [k, item] of Object.entries(v)) {
    const field = Object.hasOwn(t.fields, k) ? t.fields[k] : undefined;
    if (!field) continue;
    if (item === null) {
      delete v[k];
      continue;
    }
    walkType(item, field[0], path ? `${path}.${k}` : k, errs);
  }
}
