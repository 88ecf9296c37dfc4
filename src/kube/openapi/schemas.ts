import type { ResourceDef } from '../registry/types.ts';
import { fieldsOf, rootType } from '../patch/schema.ts';
import { CATALOG } from './catalog/index.ts';
import type { TypeDef } from './catalog/types.ts';
import { customSchemaName, OBJECT_META } from '../crd/openapi.ts';
import { upstreamName, upstreamSchemas } from './upstream.ts';

const PRIMITIVES = new Set(['string', 'integer', 'boolean', 'number', 'object']);
/** Upstream's types that catalog entries refer to by short name. */
const UPSTREAM_TYPES: Record<string, string> = {
  Quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  IntOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  Time: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  ObjectMeta: OBJECT_META,
  CrossVersionObjectReference: 'io.k8s.api.autoscaling.v2.CrossVersionObjectReference',
};

function fullName(type: string): string | undefined {
  if (UPSTREAM_TYPES[type]) return UPSTREAM_TYPES[type];
  const t = CATALOG[type];
  return t ? `${t.pkg}.${type}` : undefined;
}

/** The schema name of a resource's kind, when the catalog describes it. */
export function schemaName(def: ResourceDef): string | undefined {
  return CATALOG[def.kind] && CATALOG[def.kind].pkg.endsWith(`.${def.version}`) ? fullName(def.kind) : undefined;
}

/** The name a served kind's schema is published under (catalog kinds and custom kinds). */
export function openapiName(def: ResourceDef): string | undefined {
  return def.custom ? customSchemaName(def) : (upstreamName(def) ?? schemaName(def));
}

type Schema = Record<string, unknown>;

function refTo(name: string, description?: string): Schema {
  return { allOf: [{ $ref: `#/components/schemas/${name}` }], ...(description ? { description } : {}) };
}

function typeSchema(type: string, description: string, used: Set<string>, listMeta?: { key?: string; merge?: boolean }): Schema {
  if (type.startsWith('[]')) {
    const items = typeSchema(type.slice(2), '', used);
    const s: Schema = { type: 'array', items, description };
    if (listMeta?.key)
      Object.assign(s, {
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': [listMeta.key],
        'x-kubernetes-patch-merge-key': listMeta.key,
        'x-kubernetes-patch-strategy': 'merge',
      });
    else if (listMeta?.merge) Object.assign(s, { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' });
    else s['x-kubernetes-list-type'] = 'atomic';
    return s;
  }
  if (type.startsWith('map[string]')) return { type: 'object', additionalProperties: typeSchema(type.slice('map[string]'.length), '', used), description };
  if (PRIMITIVES.has(type)) {
    const s: Schema = { type, description };
    if (type === 'integer') s.format = 'int32';
    if (type === 'object') s['x-kubernetes-preserve-unknown-fields'] = true;
    return s;
  }
  const name = fullName(type);
  if (!name) return { type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true };
  if (CATALOG[type]) used.add(type);
  return refTo(name, description);
}

function objectSchema(typeName: string, t: TypeDef, used: Set<string>): Schema {
  const props: Record<string, Schema> = {};
  const patchFields = fieldsOf(typeName);
  const kindFields = CATALOG[typeName]?.fields.apiVersion ? rootType(typeName) : {};
  for (const [field, [type, description]] of Object.entries(t.fields)) {
    const pm = patchFields[field] ?? kindFields[field];
    props[field] = typeSchema(type, description, used, pm);
  }
  const s: Schema = { description: t.description, type: 'object', properties: props };
  if (t.required?.length) s.required = t.required;
  // Not every field is listed: the rest must not count as unknown.
  if (t.open) s['x-kubernetes-preserve-unknown-fields'] = true;
  return s;
}

/** Catalog schemas of kinds upstream does not define (kates' own kinds), with what they reference. */
function catalogSchemas(defs: ResourceDef[]): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const used = new Set<string>();
  const gvks = new Map<string, { group: string; version: string; kind: string }[]>();
  for (const def of defs) {
    if (!schemaName(def)) continue;
    used.add(def.kind);
    gvks.set(def.kind, [...(gvks.get(def.kind) ?? []), { group: def.group, version: def.version, kind: def.kind }]);
  }
  const done = new Set<string>();
  while ([...used].some((u) => !done.has(u))) {
    for (const typeName of [...used]) {
      if (done.has(typeName)) continue;
      done.add(typeName);
      const t = CATALOG[typeName];
      if (!t) continue;
      const s = objectSchema(typeName, t, used);
      const g = gvks.get(typeName);
      if (g) s['x-kubernetes-group-version-kind'] = g;
      out[`${t.pkg}.${typeName}`] = s;
    }
  }
  return out;
}

/**
 * The schemas of the given resources and everything they reference, keyed by full name: upstream's
 * definitions for upstream's kinds (src/kube/openapi/upstream-definitions.json), each CRD's own
 * schema for custom kinds, and the catalog for the few kinds only kates serves.
 */
export function schemasFor(defs: ResourceDef[]): Record<string, Schema> {
  const out = catalogSchemas(defs.filter((d) => !d.custom && !upstreamName(d)));
  // Upstream types the catalog's entries refer to.
  const names = new Set<string>([...JSON.stringify(out).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]).filter((n) => !out[n]));
  const gvks = new Map<string, { group: string; version: string; kind: string }[]>();
  for (const def of defs) {
    if (def.custom) {
      out[customSchemaName(def)] = def.custom.openapi;
      names.add(OBJECT_META);
      continue;
    }
    const name = upstreamName(def);
    if (!name) continue;
    names.add(name);
    gvks.set(name, [...(gvks.get(name) ?? []), { group: def.group, version: def.version, kind: def.kind }]);
  }
  Object.assign(out, upstreamSchemas(names));
  for (const [name, g] of gvks) out[name]['x-kubernetes-group-version-kind'] = g;
  return out;
}
