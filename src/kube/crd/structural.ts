import { isPlainObject } from '../patch/merge.ts';

/** An OpenAPI v3 schema node of a CustomResourceDefinition (`openAPIV3Schema` and below). */
export type SchemaNode = Record<string, unknown> & {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  default?: unknown;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
};

/** Fields of the root kept whatever the schema says: the type meta and metadata. */
const ROOT_FIELDS = ['apiVersion', 'kind', 'metadata'];

function fieldPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/**
 * Pruning as the API server does it for structural schemas: fields the schema does not specify are
 * dropped, except under `x-kubernetes-preserve-unknown-fields`; nulls of non-nullable fields are
 * dropped too (so a default can apply). Mutates `value`; returns the dropped unknown fields
 * (`spec.foo`), which strict field validation reports.
 */
export function prune(value: unknown, schema: SchemaNode, path = '', root = true): string[] {
  const dropped: string[] = [];
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => dropped.push(...prune(item, schema.items!, `${path}[${i}]`, false)));
    return dropped;
  }
  if (!isPlainObject(value)) return dropped;
  const props = schema.properties ?? {};
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = root || schema['x-kubernetes-embedded-resource'] === true;
  const additional = isPlainObject(schema.additionalProperties) ? (schema.additionalProperties as SchemaNode) : undefined;
  for (const key of Object.keys(value)) {
    const child = value[key];
    const p = fieldPath(path, key);
    const sub = Object.hasOwn(props, key) ? props[key] : additional;
    if (!sub) {
      if (embedded && ROOT_FIELDS.includes(key)) continue;
      if (preserve || schema.additionalProperties === true) continue;
      delete value[key];
      dropped.push(p);
      continue;
    }
    if (child === null && !sub.nullable) {
      delete value[key];
      continue;
    }
    dropped.push(...prune(child, sub, p, false));
  }
  return dropped;
}

/**
 * Structural defaulting: a missing field whose schema has a `default` gets it, top-down, so
 * defaults inside a defaulted object apply as well. Mutates `value`.
 */
export function applyDefaults(value: unknown, schema: SchemaNode): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applyDefaults(item, schema.items);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (value[key] === undefined && sub.default !== undefined) value[key] = structuredClone(sub.default);
  }
  for (const [key, child] of Object.entries(value)) {
    const sub =
      schema.properties && Object.hasOwn(schema.properties, key)
        ? schema.properties[key]
        : isPlainObject(schema.additionalProperties)
          ? (schema.additionalProperties as SchemaNode)
          : undefined;
    if (sub) applyDefaults(child, sub);
  }
}

/** The schema node at a dotted field path (`spec.replicas`), or undefined when it has none. */
export function nodeAt(schema: SchemaNode, path: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const seg of path.split('.').filter(Boolean)) {
    node = node?.properties?.[seg];
  }
  return node;
}
