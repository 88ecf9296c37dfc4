import type { KubeObject } from '../types.ts';
import type { KubeRequest } from '../handlers/context.ts';
import { badRequest } from '../status.ts';
import { kindSchema, unknownFields } from './schema-walk.ts';

/**
 * `fieldValidation`: Strict (kubectl's default) refuses unknown fields with 400, Warn answers
 * `Warning` headers, Ignore keeps them silently (unknown fields of known kinds are always stored).
 * A custom kind's unknown fields are those its structural schema would prune.
 */
export function checkStrictFields(req: KubeRequest, obj: KubeObject): void {
  const mode = req.query.get('fieldValidation') ?? 'Ignore';
  if (mode === 'Ignore') return;
  const kind = req.def.custom ? undefined : kindSchema(req.def);
  if (!kind && !req.def.custom) return;
  const unknown = req.def.custom ? req.def.custom.normalize(structuredClone(obj)) : unknownFields(kind!, obj);
  if (unknown.length === 0) return;
  if (mode === 'Strict') {
    throw badRequest(
      `${req.def.kind} in version "${req.def.version}" cannot be handled as a ${req.def.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
    );
  }
  for (const f of unknown) req.warnings.push(`unknown field "${f}"`);
}
