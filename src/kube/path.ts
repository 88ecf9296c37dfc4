import type { Registry } from './registry/index.ts';
import { badRequest } from './status.ts';

/** What a URL under the cluster root addresses. */
export type ApiPath =
  | { type: 'core-root' }
  | { type: 'groups-root' }
  | { type: 'group'; group: string }
  | { type: 'group-version'; group: string; version: string }
  | { type: 'resource'; group: string; version: string; plural: string; namespace?: string; name?: string; subresource?: string; legacyWatch: boolean }
  | { type: 'unknown' };

/**
 * Parses the part after `/api` (core) or `/apis` (named groups). `namespaces/<ns>/<plural>` is a
 * namespaced path only when `<plural>` is a namespaced resource of that group-version; otherwise it
 * is the namespace object itself (`namespaces/<ns>/status`, `namespaces/<ns>/finalize`).
 */
export function parseApiPath(registry: Registry, core: boolean, rest: string): ApiPath {
  const segs = rest
    .split('/')
    .filter((s) => s.length > 0)
    .map(decodeSegment);
  if (segs.length === 0) return core ? { type: 'core-root' } : { type: 'groups-root' };
  let group = '';
  if (!core) {
    group = segs.shift()!;
    if (segs.length === 0) return { type: 'group', group };
  }
  const version = segs.shift()!;
  if (!registry.hasGroupVersion(group, version)) return { type: 'unknown' };
  if (segs.length === 0) return { type: 'group-version', group, version };
  let legacyWatch = false;
  if (segs[0] === 'watch') {
    legacyWatch = true;
    segs.shift();
  }
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    const def = registry.find(group, version, segs[2]);
    if (def?.namespaced) {
      if (segs.length > 5) return { type: 'unknown' };
      return { type: 'resource', group, version, plural: segs[2], namespace: segs[1], name: segs[3], subresource: segs[4], legacyWatch };
    }
  }
  if (segs.length > 3) return { type: 'unknown' };
  return { type: 'resource', group, version, plural: segs[0], name: segs[1], subresource: segs[2], legacyWatch };
}

/** One path segment, unescaped; a malformed escape (`25%`) is the client's error, as upstream's 400. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`invalid URL escape in "${segment}"`);
  }
}
