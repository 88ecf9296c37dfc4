import type { Registry } from '../registry/index.ts';
import { gvString, type ResourceDef } from '../registry/types.ts';
import { schemasFor, openapiName } from './schemas.ts';

/**
 * OpenAPI v3 as kubectl reads it: the index of group-versions, then one document per
 * group-version. Operations carry `x-kubernetes-group-version-kind` and the `fieldValidation`
 * parameter, which tells kubectl to let the server validate (no client-side v2 validation).
 */
export function openapiIndex(registry: Registry, prefix: string) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const g of registry.groups()) {
    for (const v of g.versions) {
      const key = g.name ? `apis/${g.name}/${v}` : `api/${v}`;
      paths[key] = { serverRelativeURL: `${prefix}/openapi/v3/${key}` };
    }
  }
  return { paths };
}

const param = (name: string, description: string) => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });
const WRITE_PARAMS = [
  param('dryRun', 'When present, indicates that modifications should not be persisted.'),
  param('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  param('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.'),
];

function operation(def: ResourceDef, action: string, verb: string, schema?: string) {
  const ref = schema ? { content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } } : undefined;
  return {
    tags: [def.group ? `${def.group}_${def.version}` : `core_${def.version}`],
    operationId: `${verb}${def.kind}`,
    parameters: ['post', 'put', 'patch'].includes(action) ? WRITE_PARAMS : [],
    ...(ref && ['post', 'put'].includes(action) ? { requestBody: ref } : {}),
    responses: { '200': { description: 'OK', ...(ref ?? {}) } },
    'x-kubernetes-action': verb,
    'x-kubernetes-group-version-kind': { group: def.group, version: def.version, kind: def.kind },
  };
}

export function openapiGroupVersion(registry: Registry, group: string, version: string) {
  const defs = registry.inGroupVersion(group, version);
  const root = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of defs) {
    const schema = openapiName(def);
    const coll = def.namespaced ? `${root}/namespaces/{namespace}/${def.plural}` : `${root}/${def.plural}`;
    const item = `${coll}/{name}`;
    const c: Record<string, unknown> = {};
    if (def.verbs.includes('list')) c.get = operation(def, 'get', 'list');
    if (def.verbs.includes('create')) c.post = operation(def, 'post', 'post', schema);
    if (def.verbs.includes('deletecollection')) c.delete = operation(def, 'delete', 'deletecollection');
    paths[coll] = c;
    if (def.virtual) continue;
    const i: Record<string, unknown> = {};
    if (def.verbs.includes('get')) i.get = operation(def, 'get', 'get', schema);
    if (def.verbs.includes('update')) i.put = operation(def, 'put', 'put', schema);
    if (def.verbs.includes('patch')) i.patch = operation(def, 'patch', 'patch', schema);
    if (def.verbs.includes('delete')) i.delete = operation(def, 'delete', 'delete');
    paths[item] = i;
    for (const sub of def.subresources ?? []) {
      const s: Record<string, unknown> = {};
      for (const v of sub.verbs) {
        const action = v === 'get' ? 'get' : v === 'update' ? 'put' : v === 'patch' ? 'patch' : 'post';
        s[action] = operation(def, action, v === 'create' ? 'post' : v);
      }
      paths[`${item}/${sub.name}`] = s;
    }
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: {
      schemas: schemasFor(defs),
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
  };
}

export { gvString };
