import type { KubeObject } from '../types.ts';
import type { ResourceDef } from '../registry/types.ts';
import type { FieldError } from '../status.ts';
import { isPlainObject } from '../patch/merge.ts';
import { kindSchema, typeErrors, type KindSchema } from './schema-walk.ts';
import { upstreamSchemas } from './upstream.ts';
import { OBJECT_META } from '../crd/openapi.ts';

/** Just `metadata`, for kinds without a published schema of their own. */
const METADATA_ONLY: KindSchema = {
  root: { type: 'object', properties: { metadata: { $ref: `#/components/schemas/${OBJECT_META}` } } },
  definitions: upstreamSchemas([OBJECT_META]),
};

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v;
}

/**
 * The decoding step of the API server: every field the kind's schema knows must have its JSON
 * type, checked before defaulting and validation read the object (see `typeErrors`). Kinds without
 * a published schema (custom kinds are validated against their CRD later) still get an object-typed
 * `metadata`, `spec` and `status`.
 */
export function fieldTypeErrors(def: ResourceDef, obj: KubeObject): FieldError[] {
  const kind = kindSchema(def);
  if (kind) return typeErrors(kind, obj);
  const errs = typeErrors(METADATA_ONLY, obj);
  for (const f of ['spec', 'status']) {
    if (obj[f] === null) delete obj[f];
    else if (obj[f] !== undefined && !isPlainObject(obj[f]))
      errs.push({ type: 'FieldValueTypeInvalid', field: f, value: typeName(obj[f]), detail: 'must be of type object' });
  }
  return errs;
}
