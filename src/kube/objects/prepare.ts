import type { KubeObject } from '../types.ts';
import type { ResourceDef } from '../registry/types.ts';
import { badRequest, conflict, invalid, type FieldError } from '../status.ts';
import { validateMetaUpdate, validateObjectMeta } from '../validation/meta.ts';

/** Top-level fields only the status subresource writes. */
export function statusFields(def: ResourceDef): string[] {
  if (def.statusFields) return def.statusFields;
  return def.subresources?.some((s) => s.name === 'status') ? ['status'] : [];
}

/** Fields a client may not set: the server owns them. */
const SERVER_OWNED = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink'];

// kubectl and the API server build generated names from consonants and digits that spell no words.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generateName(prefix: string): string {
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  let suffix = '';
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  for (const b of bytes) suffix += NAME_ALPHABET[b % NAME_ALPHABET.length];
  return base + suffix;
}

function checkNamespace(obj: KubeObject, def: ResourceDef, urlNamespace: string | undefined): void {
  if (!def.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (obj.metadata.namespace && urlNamespace && obj.metadata.namespace !== urlNamespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = urlNamespace ?? obj.metadata.namespace;
}

/** Validation after defaulting and mutating admission: 422 Invalid with one cause per field. */
export function validateObject(def: ResourceDef, obj: KubeObject, old: KubeObject | undefined): void {
  const errs: FieldError[] = [...validateObjectMeta(obj, def.nameRule, def.namespaced)];
  if (old) errs.push(...validateMetaUpdate(obj, old));
  if (def.validate) errs.push(...def.validate(obj, old));
  if (errs.length) throw invalid(def, obj.metadata.name ?? obj.metadata.generateName ?? '', errs);
}

/**
 * A new object as it will be stored: server-owned metadata dropped, generated name resolved,
 * status reset (except for kinds that accept status on create), defaults applied (not yet validated).
 */
export function prepareCreate(def: ResourceDef, body: KubeObject, urlNamespace: string | undefined): KubeObject {
  const obj = body;
  obj.metadata ??= {};
  for (const k of SERVER_OWNED) delete obj.metadata[k];
  checkNamespace(obj, def, urlNamespace);
  if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = generateName(obj.metadata.generateName);
  if (def.kind !== 'Node') for (const f of statusFields(def)) delete obj[f];
  if (def.needsUidBeforeCreate) obj.metadata.uid = crypto.randomUUID();
  def.defaults?.(obj);
  return obj;
}

/**
 * A replacement of `old` (PUT or the result of a patch). Identity comes from the stored object;
 * status is kept unless this is the status subresource, which changes only status.
 */
export function prepareUpdate(def: ResourceDef, next: KubeObject, old: KubeObject, urlName: string, opts: { statusOnly?: boolean } = {}): KubeObject {
  next.metadata ??= {};
  if (next.metadata.name && next.metadata.name !== urlName) {
    throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${urlName})`);
  }
  if (next.metadata.uid && next.metadata.uid !== old.metadata.uid) {
    throw conflict(def, urlName, `Precondition failed: UID in precondition: ${next.metadata.uid}, UID in object meta: ${old.metadata.uid}`);
  }
  let obj: KubeObject;
  if (opts.statusOnly) {
    obj = structuredClone(old);
    for (const f of statusFields(def)) {
      if (next[f] === undefined) delete obj[f];
      else obj[f] = next[f];
    }
    obj.metadata.resourceVersion = next.metadata.resourceVersion;
  } else {
    obj = next;
    for (const f of statusFields(def)) {
      if (old[f] === undefined) delete obj[f];
      else obj[f] = structuredClone(old[f]);
    }
  }
  const m = obj.metadata;
  m.name = old.metadata.name;
  m.namespace = old.metadata.namespace;
  if (!def.namespaced) delete m.namespace;
  m.uid = old.metadata.uid;
  m.creationTimestamp = old.metadata.creationTimestamp;
  if (old.metadata.deletionTimestamp) {
    m.deletionTimestamp = old.metadata.deletionTimestamp;
    m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
  } else {
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
  }
  delete m.generation;
  delete m.selfLink;
  if (m.generateName === undefined && old.metadata.generateName) m.generateName = old.metadata.generateName;
  if (!opts.statusOnly) def.defaults?.(obj);
  // A custom resource's schema prunes and defaults its status too.
  else def.custom?.normalize(obj);
  return obj;
}
