import { Validator, type Schema } from '@cfworker/json-schema';
import { isPlainObject } from '../patch/merge.ts';
import type { FieldError } from '../status.ts';
import type { SchemaNode } from './structural.ts';

/** The value-judging keywords carried from a CRD schema into the JSON Schema as they are. */
const COPIED = [
  'type',
  'enum',
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'maxProperties',
  'minProperties',
  'required',
];

/** Keywords that judge a value; the ones that only descend (properties, items) report through them. */
const LEAF_KEYWORDS = new Set([...COPIED, 'not', 'oneOf', 'anyOf']);

function compilesAsUnicode(pattern: unknown): boolean {
  try {
    new RegExp(String(pattern), 'u');
    return typeof pattern === 'string';
  } catch {
    return false;
  }
}

/**
 * The OpenAPI v3 schema of a CRD as JSON Schema draft 4: `nullable` becomes a `null` type,
 * `x-kubernetes-int-or-string` an integer-or-string `anyOf`; descriptions, defaults, formats and
 * the other `x-kubernetes-*` extensions do not take part in validation. The root's metadata is
 * left to the API server's ObjectMeta validation, as upstream does.
 */
export function toJsonSchema(node: SchemaNode, root = true): Schema {
  const out: Schema = {};
  for (const k of COPIED) if (node[k] !== undefined) out[k] = structuredClone(node[k]);
  // Patterns are RE2; one JavaScript's unicode mode cannot compile (inline flags, `\_`) is not checked.
  if (out.pattern !== undefined && !compilesAsUnicode(out.pattern)) delete out.pattern;
  if (node['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node.nullable && typeof out.type === 'string') {
    out.type = [out.type as 'string', 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  if (isPlainObject(node.properties)) {
    out.properties = {};
    for (const [k, v] of Object.entries(node.properties)) {
      if (root && k === 'metadata') continue;
      out.properties[k] = toJsonSchema(v, false);
    }
  }
  if (isPlainObject(node.additionalProperties)) out.additionalProperties = toJsonSchema(node.additionalProperties as SchemaNode, false);
  if (isPlainObject(node.items)) out.items = toJsonSchema(node.items as SchemaNode, false);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(node[k])) out[k] = [...((out[k] as Schema[]) ?? []), ...(node[k] as SchemaNode[]).map((s) => toJsonSchema(s, false))];
  }
  if (isPlainObject(node.not)) out.not = toJsonSchema(node.not as SchemaNode, false);
  if (root && Array.isArray(out.required)) out.required = (out.required as string[]).filter((r) => r !== 'metadata');
  return out;
}

/** Field path of a JSON pointer into `value`: `spec.ports[0].name`. */
function fieldOf(pointer: string, value: unknown): string {
  let path = '';
  let cur: unknown = value;
  for (const raw of pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s.length > 0)) {
    const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      path += `[${seg}]`;
      cur = cur[Number(seg)];
    } else {
      path = path ? `${path}.${seg}` : seg;
      cur = isPlainObject(cur) ? cur[seg] : undefined;
    }
  }
  return path;
}

function at(pointer: string, value: unknown): unknown {
  let cur: unknown = value;
  for (const raw of pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s.length > 0)) {
    const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    cur = Array.isArray(cur) ? cur[Number(seg)] : isPlainObject(cur) ? cur[seg] : undefined;
  }
  return cur;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** One failed keyword, worded as the API server's CRD validation words it. */
function toFieldError(keyword: string, rule: unknown, parent: Schema, field: string, value: unknown): FieldError | undefined {
  const where = field || '<root>';
  switch (keyword) {
    case 'type': {
      const want = Array.isArray(rule) ? rule.filter((t) => t !== 'null').join(',') : String(rule);
      return { type: 'FieldValueTypeInvalid', field: where, value: typeName(value), detail: `${where} in body must be of type ${want}: "${typeName(value)}"` };
    }
    case 'enum':
      return {
        type: 'FieldValueNotSupported',
        field: where,
        value,
        supported: (rule as unknown[]).filter((v) => v !== null).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
      };
    case 'maximum':
      return {
        type: 'FieldValueInvalid',
        field: where,
        value,
        detail: `${where} in body should be less than ${parent.exclusiveMaximum === true ? '' : 'or equal to '}${rule}`,
      };
    case 'minimum':
      return {
        type: 'FieldValueInvalid',
        field: where,
        value,
        detail: `${where} in body should be greater than ${parent.exclusiveMinimum === true ? '' : 'or equal to '}${rule}`,
      };
    case 'exclusiveMaximum':
      return { type: 'FieldValueInvalid', field: where, value, detail: `${where} in body should be less than ${parent.maximum}` };
    case 'exclusiveMinimum':
      return { type: 'FieldValueInvalid', field: where, value, detail: `${where} in body should be greater than ${parent.minimum}` };
    case 'maxLength':
      return { type: 'FieldValueTooLong', field: where, value, detail: `may not be more than ${rule} bytes` };
    case 'minLength':
      return { type: 'FieldValueInvalid', field: where, value, detail: `${where} in body should be at least ${rule} chars long` };
    case 'pattern':
      return { type: 'FieldValueInvalid', field: where, value, detail: `${where} in body should match '${rule}'` };
    case 'maxItems':
      return { type: 'FieldValueTooMany', field: where, value: Array.isArray(value) ? value.length : 0, detail: `must have at most ${rule} items` };
    case 'minItems':
      return {
        type: 'FieldValueInvalid',
        field: where,
        value: Array.isArray(value) ? value.length : 0,
        detail: `${where} in body should have at least ${rule} items`,
      };
    case 'uniqueItems':
      return { type: 'FieldValueDuplicate', field: where, value };
    case 'multipleOf':
      return { type: 'FieldValueInvalid', field: where, value, detail: `${where} in body should be a multiple of ${rule}` };
    case 'maxProperties':
      return {
        type: 'FieldValueTooMany',
        field: where,
        value: isPlainObject(value) ? Object.keys(value).length : 0,
        detail: `must have at most ${rule} items`,
      };
    case 'minProperties':
      return {
        type: 'FieldValueInvalid',
        field: where,
        value: isPlainObject(value) ? Object.keys(value).length : 0,
        detail: `${where} in body should have at least ${rule} properties`,
      };
    case 'anyOf':
      if (parent.anyOf && (parent.anyOf as Schema[]).length === 2 && (parent.anyOf as Schema[]).every((s) => s.type === 'integer' || s.type === 'string')) {
        return {
          type: 'FieldValueTypeInvalid',
          field: where,
          value: typeName(value),
          detail: `${where} in body must be of type integer,string: "${typeName(value)}"`,
        };
      }
      return { type: 'FieldValueInvalid', field: where, value, detail: 'must validate at least one schema (anyOf)' };
    case 'oneOf':
      return { type: 'FieldValueInvalid', field: where, value, detail: 'must validate one and only one schema (oneOf)' };
    case 'not':
      return { type: 'FieldValueInvalid', field: where, value, detail: 'must not validate the schema (not)' };
    default:
      return undefined;
  }
}

function resolve(schema: Schema, pointer: string): unknown {
  let cur: unknown = schema;
  for (const raw of pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s.length > 0)) {
    const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    cur = Array.isArray(cur) ? cur[Number(seg)] : isPlainObject(cur) ? cur[seg] : undefined;
  }
  return cur;
}

/** A compiled validator of one CRD version's schema; errors come back as field errors. */
export class SchemaValidator {
  private readonly schema: Schema;
  private readonly validator: Validator;

  constructor(openAPIV3Schema: SchemaNode) {
    this.schema = toJsonSchema(openAPIV3Schema);
    this.validator = new Validator(structuredClone(this.schema), '4', false);
  }

  validate(obj: unknown): FieldError[] {
    let result: ReturnType<Validator['validate']>;
    try {
      result = this.validator.validate(obj);
    } catch (e) {
      // The CRD's validation keeps such schemas out; this guards what was stored before it did.
      return [
        {
          type: 'FieldValueInvalid',
          field: '<root>',
          omitValue: true,
          detail: `the schema could not be evaluated: ${e instanceof Error ? e.message : String(e)}`,
        },
      ];
    }
    if (result.valid) return [];
    const out: FieldError[] = [];
    const seen = new Set<string>();
    // Errors under an anyOf/oneOf branch are reported once, by the anyOf/oneOf itself.
    const branchLocations = result.errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.keywordLocation);
    for (const e of result.errors) {
      if (!LEAF_KEYWORDS.has(e.keyword)) continue;
      if (branchLocations.some((b) => e.keywordLocation !== b && e.keywordLocation.startsWith(`${b}/`))) continue;
      const parentPointer = e.keywordLocation.slice(0, e.keywordLocation.lastIndexOf('/'));
      const parent = (resolve(this.schema, parentPointer) ?? {}) as Schema;
      if (e.keyword === 'required') {
        for (const name of (parent.required as string[]) ?? []) {
          const holder = at(e.instanceLocation, obj);
          if (isPlainObject(holder) && holder[name] === undefined) {
            const field = fieldOf(e.instanceLocation, obj);
            const f = field ? `${field}.${name}` : name;
            if (!seen.has(`required:${f}`)) out.push({ type: 'FieldValueRequired', field: f, detail: '' });
            seen.add(`required:${f}`);
          }
        }
        continue;
      }
      const field = fieldOf(e.instanceLocation, obj);
      const key = `${e.keyword}:${field}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const fe = toFieldError(e.keyword, parent[e.keyword], parent, field, at(e.instanceLocation, obj));
      if (fe) out.push(fe);
    }
    return out;
  }
}
