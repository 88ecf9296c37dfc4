import type { ResourceDef } from '../registry/types.ts';
import { isPlainObject } from '../patch/merge.ts';
import { fieldInvalid, type FieldError } from '../status.ts';
import { openapiName, schemasFor } from './schemas.ts';

type Schema = Record<string, unknown>;

/** A served kind's schema with the definitions it references, as `/openapi` publishes them. */
export interface KindSchema {
  root: Schema;
  definitions: Record<string, Schema>;
}

const byDef = new WeakMap<ResourceDef, KindSchema | null>();

/** The published schema of a kind (upstream's, or the catalog's for kates' own kinds); built once per definition. */
export function kindSchema(def: ResourceDef): KindSchema | undefined {
  let s = byDef.get(def);
  if (s === undefined) {
    const name = def.custom ? undefined : openapiName(def);
    const definitions = name ? schemasFor([def]) : {};
    s = name && definitions[name] ? { root: definitions[name], definitions } : null;
    byDef.set(def, s);
  }
  return s ?? undefined;
}

/** Follows `$ref` and single-element `allOf` wrappers to the schema that describes the value. */
function resolved(schema: Schema, defs: Record<string, Schema>): Schema {
  let s = schema;
  for (let i = 0; i < 8; i++) {
    if (typeof s.$ref === 'string') s = defs[s.$ref.slice('#/components/schemas/'.length)] ?? {};
    else if (Array.isArray(s.allOf) && s.allOf.length === 1 && isPlainObject(s.allOf[0])) s = s.allOf[0] as Schema;
    else break;
  }
  return s;
}

function childSchema(s: Schema, key: string): Schema | undefined {
  const props = isPlainObject(s.properties) ? (s.properties as Record<string, Schema>) : undefined;
  if (props && Object.hasOwn(props, key)) return props[key];
  return isPlainObject(s.additionalProperties) ? (s.additionalProperties as Schema) : undefined;
}

const join = (path: string, key: string, map: boolean) => (map ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/**
 * Fields of `value` its kind's schema does not know, as strict decoding reports them
 * (`spec.foo`). Free-form places (`x-kubernetes-preserve-unknown-fields`) take anything; `status`
 * at the root is not checked, since it is the server's to write and is dropped on create.
 */
export function unknownFields(kind: KindSchema, value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, schema: Schema, path: string, root: boolean) => {
    const s = resolved(schema, kind.definitions);
    if (Array.isArray(v)) {
      if (isPlainObject(s.items)) v.forEach((item, i) => walk(item, s.items as Schema, `${path}[${i}]`, false));
      return;
    }
    if (!isPlainObject(v)) return;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    const isMap = !isPlainObject(s.properties) && isPlainObject(s.additionalProperties);
    if (!isPlainObject(s.properties) && !isMap) return;
    for (const [k, item] of Object.entries(v)) {
      if (root && k === 'status') continue;
      const sub = childSchema(s, k);
      if (sub) walk(item, sub, join(path, k, isMap), false);
      else if (!preserve) out.push(join(path, k, false));
    }
  };
  walk(value, kind.root, '', true);
  return out;
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

function unsafeInteger(path: string, v: unknown): FieldError | undefined {
  if (typeof v === 'number' && !Number.isSafeInteger(v))
    return fieldInvalid(path, v, `must be between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`);
  return undefined;
}

/**
 * The decoding step of the API server: every known field must have its schema's JSON type (a
 * `spec` that is a string, a ConfigMap value that is a number). Known fields that are null are
 * dropped, as Go's decoder leaves them unset. Mutates `value` (the nulls).
 */
export function typeErrors(kind: KindSchema, value: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const walk = (v: unknown, schema: Schema, path: string) => {
    const s = resolved(schema, kind.definitions);
    if (s['x-kubernetes-int-or-string'] === true) {
      if (typeof v === 'string') return;
      if (typeof v !== 'number' || !Number.isInteger(v)) return void errs.push(typeInvalid(path, v, 'integer or string'));
      const e = unsafeInteger(path, v);
      if (e) errs.push(e);
      return;
    }
    if (Array.isArray(s.oneOf)) {
      // Quantity: a string or a number.
      if (typeof v !== 'string' && typeof v !== 'number') errs.push(typeInvalid(path, v, 'string'));
      return;
    }
    switch (s.type) {
      case 'string':
      case 'boolean':
      case 'number':
        if (typeof v !== s.type) errs.push(typeInvalid(path, v, s.type));
        return;
      case 'integer': {
        if (typeof v !== 'number' || !Number.isInteger(v)) return void errs.push(typeInvalid(path, v, 'integer'));
        const e = unsafeInteger(path, v);
        if (e) errs.push(e);
        return;
      }
      case 'array':
        if (!Array.isArray(v)) return void errs.push(typeInvalid(path, v, 'array'));
        if (isPlainObject(s.items)) v.forEach((item, i) => walk(item, s.items as Schema, `${path}[${i}]`));
        return;
      case 'object': {
        if (!isPlainObject(v)) return void errs.push(typeInvalid(path, v, 'object'));
        const isMap = !isPlainObject(s.properties) && isPlainObject(s.additionalProperties);
        for (const [k, item] of Object.entries(v)) {
          const sub = childSchema(s, k);
          if (!sub) continue;
          if (item === null && !isMap) {
            delete v[k];
            continue;
          }
          walk(item, sub, join(path, k, isMap));
        }
        return;
      }
      default:
        return;
    }
  };
  walk(value, kind.root, '');
  return errs;
}
