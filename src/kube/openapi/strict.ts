import type { KubeObject } from '../types.ts';
import type { KubeRequest } from '../handlers/context.ts';
import { badRequest } from '../status.ts';
import { isPlainObject } from '../patch/merge.ts';
import { CATALOG } from './catalog/index.ts';
import { schemaName } from './schemas.ts';

function walk(value: unknown, type: string, path: string, out: string[]): void {
  if (type.startsWith('[]')) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, type.slice(2), `${path}[${i}]`, out));
    return;
  }
  if (type.startsWith('map[string]')) {
    if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) walk(v, type.slice('map[string]'.length), `${path}[${k}]`, out);
    return;
  }
  const t = CATALOG[type];
  if (!t || !isPlainObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const field = Object.hasOwn(t.fields, k) ? t.fields[k] : undefined;
    const p = path ? `${path}.${k}` : k;
    if (!field) {
      if (!t.open) out.push(p);
      continue;
    }
    walk(v, field[0], p, out);
  }
}

/** Fields of an object that its kind's schema does not know (only closed, fully described types report). */
export function unknownFields(kind: string, obj: unknown): string[] {
  const out: string[] = [];
  walk(obj, kind, '', out);
  return out;
}

/**
 * `fieldValidation`: Strict (kubectl's default) refuses unknown fields with 400, Warn answers
 * `Warning` headers, Ignore keeps them silently (unknown fields of known kinds are always stored).
 */
export function checkStrictFields(req: KubeRequest, obj: KubeObject): void {
  const mode = req.query.get('fieldValidation') ?? 'Ignore';
  if (mode === 'Ignore' || (!schemaName(req.def) && !req.def.custom)) return;
  // A custom kind's unknown fields are those its structural schema would prune.
  const unknown = req.def.custom ? req.def.custom.normalize(structuredClone(obj)) : unknownFields(req.def.kind, obj);
  if (unknown.length === 0) return;
  if (mode === 'Strict') {
    throw badRequest(`${req.def.kind} in version "${req.def.version}" cannot be handled as a ${req.def.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  for (const f of unknown) req.warnings.push(`unknown field "${f}"`);
}
