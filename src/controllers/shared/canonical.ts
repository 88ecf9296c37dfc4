/**
 * Canonical JSON for comparing and hashing templates: keys sorted, nulls and empty objects/arrays
 * dropped. `kubectl rollout undo` sends a template with `creationTimestamp: null` and
 * `resources: {}`, which must still equal the stored one (kubectl-protocol.md §7.3).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(prune(value)) ?? 'null';
}

export function prune(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = prune((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}
