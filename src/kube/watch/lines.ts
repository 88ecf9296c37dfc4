import type { KubeObject } from '../types.ts';

/** What a watch line's `type` says; BOOKMARK and ERROR carry no stored object. */
export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

const encoder = new TextEncoder();

/** One watch event: a JSON object on its own line. */
export function eventLine(type: EventType, object: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify({ type, object })}\n`);
}

/**
 * Encoded event lines shared by every watch of the same version: with thousands of watchers one
 * commit is serialised once per (object, event type, version), not once per watcher.
 */
const cache = new WeakMap<KubeObject, Map<string, Uint8Array>>();

export function sharedLine(obj: KubeObject, type: EventType, version: string, encode: () => Uint8Array): Uint8Array {
  let byKey = cache.get(obj);
  if (!byKey) cache.set(obj, (byKey = new Map()));
  const k = `${type} ${version}`;
  let line = byKey.get(k);
  if (line === undefined) byKey.set(k, (line = encode()));
  return line;
}
