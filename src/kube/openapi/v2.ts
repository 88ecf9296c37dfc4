import type { Registry } from '../registry/index.ts';
import { openapiGroupVersion } from './v3.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A v3 schema in Swagger 2.0 terms, as the API server publishes `/openapi/v2`: references point
 * into `definitions` (without the `allOf` wrapper), int-or-string is a string of that format, and
 * what Swagger 2.0 cannot say (`nullable`, `anyOf`, `oneOf`) is left out.
 */
export function toV2Schema(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toV2Schema);
  if (!isObject(v)) return v;
  const out: Json = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === 'nullable' || k === 'oneOf') continue;
    if (k === '$ref' && typeof val === 'string') out.$ref = val.replace('#/components/schemas/', '#/definitions/');
    else if (k === 'anyOf') continue;
    else out[k] = toV2Schema(val);
  }
  if (Array.isArray(out.allOf) && out.allOf.length === 1 && isObject(out.allOf[0]) && typeof out.allOf[0].$ref === 'string') {
    out.$ref = out.allOf[0].$ref;
    delete out.allOf;
  }
  if (v['x-kubernetes-int-or-string'] === true) Object.assign(out, { type: 'string', format: 'int-or-string' });
  // Quantity is a string or a number in v3; Swagger 2.0 says string, as upstream's v2 does.
  else if (Array.isArray(v.oneOf) && out.type === undefined) out.type = 'string';
  return out;
}

/** A v3 operation as a Swagger 2.0 one: the body becomes a `body` parameter, responses name a schema. */
function toV2Operation(op: Json): Json {
  const { requestBody, responses, parameters, ...rest } = op as { requestBody?: Json; responses?: Record<string, Json>; parameters?: Json[] };
  const schemaOf = (x: Json | undefined) => (x?.content as Record<string, { schema?: unknown }> | undefined)?.['application/json']?.schema;
  const params = (parameters ?? []).map(({ schema, ...p }) => ({ ...p, type: (schema as Json | undefined)?.type ?? 'string', uniqueItems: true }));
  const body = schemaOf(requestBody);
  if (body) params.unshift({ name: 'body', in: 'body', required: true, schema: toV2Schema(body) } as never);
  const outResponses: Record<string, Json> = {};
  for (const [code, r] of Object.entries(responses ?? {})) {
    const schema = schemaOf(r);
    outResponses[code] = { description: r.description ?? 'OK', ...(schema ? { schema: toV2Schema(schema) } : {}) };
  }
  return { ...rest, consumes: ['*/*'], produces: ['application/json', 'application/yaml'], schemes: ['https'], parameters: params, responses: outResponses };
}

/** `/openapi/v2`: every served group-version in one Swagger 2.0 document. */
export function openapiV2(registry: Registry): Json {
  const paths: Record<string, Json> = {};
  const definitions: Json = {};
  for (const g of registry.groups()) {
    for (const v of g.versions) {
      const doc = openapiGroupVersion(registry, g.name, v);
      for (const [name, schema] of Object.entries(doc.components.schemas)) definitions[name] = toV2Schema(schema);
      for (const [path, item] of Object.entries(doc.paths)) {
        const ops: Json = {};
        for (const [method, op] of Object.entries(item)) ops[method] = toV2Operation(op as Json);
        paths[path] = ops;
      }
    }
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    definitions,
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}
