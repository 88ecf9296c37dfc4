import type { KubeObject } from '../types.ts';
import type { ResourceDef } from '../registry/types.ts';
import { badRequest } from '../status.ts';
import { compileRequirements, parseLabelSelector, SelectorParseError } from '../selectors/labels.ts';
import { commonFields, compileFieldSelector, FieldSelectorError, parseFieldSelector } from '../selectors/fields.ts';

export interface ListQuery {
  /** Undefined when nothing needs filtering (so stored JSON can be passed through). */
  filter?: (o: KubeObject) => boolean;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

/** Parses labelSelector, fieldSelector, limit and continue; bad selectors are 400 BadRequest. */
export function parseListQuery(def: ResourceDef, q: URLSearchParams): ListQuery {
  const out: ListQuery = {};
  const checks: Array<(o: KubeObject) => boolean> = [];
  const ls = q.get('labelSelector');
  if (ls) {
    try {
      const reqs = parseLabelSelector(ls);
      if (reqs.length) {
        const selected = compileRequirements(reqs);
        checks.push((o) => selected(o.metadata.labels));
      }
    } catch (e) {
      if (e instanceof SelectorParseError) throw badRequest(e.message);
      throw e;
    }
  }
  const fs = q.get('fieldSelector');
  if (fs) {
    try {
      const reqs = parseFieldSelector(fs);
      if (reqs.length) checks.push(compileFieldSelector(reqs, { ...commonFields, ...(def.fieldSelectors ?? {}) }));
    } catch (e) {
      if (e instanceof FieldSelectorError) throw badRequest(e.message);
      throw e;
    }
  }
  if (checks.length === 1) out.filter = checks[0];
  else if (checks.length > 1) out.filter = (o) => checks.every((c) => c(o));
  const limit = q.get('limit');
  if (limit) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`limit: Invalid value: "${limit}": must be a non-negative integer`);
    if (n > 0) out.limit = n;
  }
  const cont = q.get('continue');
  if (cont) out.continue = cont;
  const rv = q.get('resourceVersion');
  if (rv) out.resourceVersion = rv;
  return out;
}
