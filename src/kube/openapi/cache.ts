import type { Registry } from '../registry/index.ts';

const documents = new WeakMap<Registry, Map<string, string>>();

/**
 * An OpenAPI document serialised once per registry (the built-in one lives for the process), so
 * kubectl's two fetches per `create -f` or `apply` cost a lookup.
 */
export function cachedDocument(registry: Registry, key: string, build: () => unknown): string {
  let docs = documents.get(registry);
  if (!docs) documents.set(registry, (docs = new Map()));
  let text = docs.get(key);
  if (text === undefined) docs.set(key, (text = JSON.stringify(build())));
  return text;
}

const binaries = new WeakMap<Registry, Map<string, Uint8Array>>();

/** The same for an encoded (protobuf) document. */
export function cachedBytes(registry: Registry, key: string, build: () => Uint8Array): Uint8Array {
  let docs = binaries.get(registry);
  if (!docs) binaries.set(registry, (docs = new Map()));
  let bytes = docs.get(key);
  if (bytes === undefined) docs.set(key, (bytes = build()));
  return bytes;
}
