import type { KubeObject } from '../types.ts';
import { StoreError } from '../../store/errors.ts';
import { hasGeneration } from '../../store/generation.ts';
import { isPlainObject } from '../patch/merge.ts';
import { alreadyExists, badRequest, failure, fromStoreError, invalid, notFound } from '../status.ts';
import { MAX_BODY_BYTES } from './body.ts';
import { gvString } from '../registry/types.ts';
import { toServed, toStorage } from '../objects/encode.ts';
import { prepareCreate, prepareUpdate } from '../objects/prepare.ts';
import { managerFromUserAgent, recordUpdate } from '../objects/managed-fields.ts';
import { admitCreate, admitUpdate } from '../admission/index.ts';
import { isoTime } from '../../lib/clock.ts';
import { checkStrictFields } from '../openapi/strict.ts';
import { fieldTypeErrors } from '../openapi/field-types.ts';
import { isDryRun, json, type KubeRequest, type KubeResponse } from './context.ts';

/** The body must be an object of the URL's group/version/kind; missing type meta is filled in. */
export function checkTypeMeta(req: KubeRequest, body: unknown): KubeObject {
  if (!isPlainObject(body)) throw badRequest('the body of the request was in an unknown format: expected a JSON object');
  const gv = gvString(req.def);
  const obj = body as KubeObject;
  for (const f of ['apiVersion', 'kind'] as const) {
    if (obj[f] !== undefined && typeof obj[f] !== 'string') throw badRequest(`couldn't get version/kind; json parse error: ${f} must be a string`);
  }
  if (obj.apiVersion && obj.apiVersion !== gv) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`);
  }
  if (obj.kind && obj.kind !== req.def.kind) {
    throw badRequest(
      `${obj.kind} in version "${req.def.version}" cannot be handled as a ${req.def.kind}: no kind "${obj.kind}" is registered for version "${gv}"`,
    );
  }
  obj.apiVersion = gv;
  obj.kind = req.def.kind;
  if (obj.metadata !== undefined && obj.metadata !== null && !isPlainObject(obj.metadata)) throw badRequest('metadata must be an object');
  obj.metadata ??= {};
  const typeErrors = fieldTypeErrors(req.def, obj);
  if (typeErrors.length) throw invalid(req.def, typeof obj.metadata.name === 'string' ? obj.metadata.name : (req.name ?? ''), typeErrors);
  return obj;
}

export function managerFor(req: KubeRequest): string {
  return req.query.get('fieldManager') || managerFromUserAgent(req.raw.headers.get('user-agent'));
}

/** The cluster clock, read once per request (each read is a query). */
const requestTimes = new WeakMap<KubeRequest, Promise<string>>();
function nowIso(req: KubeRequest): Promise<string> {
  let t = requestTimes.get(req);
  if (!t) requestTimes.set(req, (t = req.deps.store.clusterNow(req.clusterId).then(isoTime)));
  return t;
}

const utf8 = new TextEncoder();

/** etcd refuses values over its request limit; patches must not grow an object past it either. */
function checkStoredSize(req: KubeRequest, object: KubeObject): void {
  const json = JSON.stringify(object);
  if (json.length * 3 <= MAX_BODY_BYTES || utf8.encode(json).byteLength <= MAX_BODY_BYTES) return;
  throw failure(413, 'RequestEntityTooLarge', `${req.def.kind} "${object.metadata.name ?? ''}" would be larger than ${MAX_BODY_BYTES} bytes once stored`);
}

/**
 * What a dry-run create answers: the object as the store would stamp it (uid, creationTimestamp,
 * generation where the kind has one) but no resourceVersion, and AlreadyExists as a real create.
 */
async function dryRunCreated(req: KubeRequest, object: KubeObject): Promise<KubeObject> {
  const existing = await req.deps.store.get(req.clusterId, req.storageDef.storage, object.metadata.namespace ?? '', object.metadata.name!);
  if (existing) throw alreadyExists(req.def, object.metadata.name!);
  object.metadata.uid ??= crypto.randomUUID();
  object.metadata.creationTimestamp ??= await nowIso(req);
  if (hasGeneration(req.storageDef.storage)) object.metadata.generation ??= 1;
  return object;
}

/** Admissions of one create that may lose the race for a quota to concurrent creates. */
const MAX_QUOTA_RETRIES = 50;

/** Stores a new object (after admission); generated names and lost quota races are retried. */
export async function createObject(req: KubeRequest, served: KubeObject, manager: string, opts: { managedFieldsDone?: boolean } = {}): Promise<KubeObject> {
  const def = req.storageDef;
  const generated = !served.metadata.name && !!served.metadata.generateName;
  for (let attempt = 0; ; attempt++) {
    const obj = prepareCreate(def, toStorage(req.def, def, structuredClone(served)), req.namespace);
    if (!obj.metadata.name) throw badRequest('name or generateName is required');
    if (!opts.managedFieldsDone) recordUpdate(undefined, obj, { manager, operation: 'Update', apiVersion: gvString(req.def), time: await nowIso(req) });
    const { object, extra } = await admitCreate(req, obj);
    checkStoredSize(req, object);
    if (isDryRun(req)) return dryRunCreated(req, object);
    try {
      // Concurrent creates of this cluster share one atomic write; each still gets its own answer.
      const [stored] = await req.deps.store.commit(req.clusterId, [{ op: 'create', resource: def.storage, object }, ...extra], { group: true });
      return stored;
    } catch (e) {
      // Another create charged (or the controller recounted) a quota since admission read it: admit
      // again on the fresh quota, as the API server's quota admission retries its status update.
      if (e instanceof StoreError && e.reason === 'Conflict' && e.details.resource === 'resourcequotas' && attempt < MAX_QUOTA_RETRIES) {
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(attempt + 1, 10)));
        continue;
      }
      if (e instanceof StoreError && e.reason === 'AlreadyExists' && attempt < 5) {
        // A clash on a generated name, or on an address reservation that another create took first.
        if (generated && e.details.resource === def.storage) {
          served.metadata.name = undefined;
          continue;
        }
        if (e.details.resource !== def.storage) continue;
      }
      if (e instanceof StoreError) throw fromStoreError(e, req.def);
      throw e;
    }
  }
}

export async function handleCreate(req: KubeRequest, body: unknown): Promise<KubeResponse> {
  const served = checkTypeMeta(req, body);
  checkStrictFields(req, served);
  const stored = await createObject(req, served, managerFor(req));
  return json(201, toServed(req.def, stored));
}

/**
 * Writes `next` over the stored `old`. With `metadata.resourceVersion` set the write is
 * optimistic (409 when stale), as for PUT.
 */
export async function replaceObject(
  req: KubeRequest,
  nextServed: KubeObject,
  old: KubeObject,
  opts: { statusOnly?: boolean; manager: string; managedFieldsDone?: boolean },
): Promise<KubeObject> {
  const def = req.storageDef;
  const next = prepareUpdate(def, toStorage(req.def, def, nextServed), old, old.metadata.name!, { statusOnly: opts.statusOnly });
  if (!opts.managedFieldsDone)
    recordUpdate(old, next, {
      manager: opts.manager,
      operation: 'Update',
      apiVersion: gvString(req.def),
      time: await nowIso(req),
      ...(opts.statusOnly ? { subresource: 'status' } : {}),
    });
  const { object, extra } = await admitUpdate(req, next, old, !!opts.statusOnly);
  checkStoredSize(req, object);
  if (isDryRun(req)) return object;
  // The last finalizer taken off an object being deleted: it goes in this write, as upstream's does.
  const op = lastFinalizerRemoved(def.storage, object)
    ? {
        op: 'delete' as const,
        resource: def.storage,
        namespace: old.metadata.namespace ?? '',
        name: old.metadata.name!,
        resourceVersion: object.metadata.resourceVersion ?? old.metadata.resourceVersion,
      }
    : { op: 'update' as const, resource: def.storage, object };
  try {
    const [stored] = await req.deps.store.commit(req.clusterId, [op, ...extra]);
    return stored;
  } catch (e) {
    if (e instanceof StoreError) throw fromStoreError(e, req.def);
    throw e;
  }
}

/** Terminating, with no finalizers left (namespaces wait for their spec finalizers, pods for their grace period). */
function lastFinalizerRemoved(storage: string, obj: KubeObject): boolean {
  if (!obj.metadata.deletionTimestamp || (obj.metadata.finalizers ?? []).length > 0) return false;
  if (storage === 'namespaces') return false;
  return !(storage === 'pods' && obj.metadata.deletionGracePeriodSeconds);
}

export async function handleUpdate(req: KubeRequest, body: unknown, statusOnly = false): Promise<KubeResponse> {
  const served = checkTypeMeta(req, body);
  if (!statusOnly) checkStrictFields(req, served);
  const old = await req.deps.store.get(req.clusterId, req.storageDef.storage, req.namespace ?? '', req.name!);
  if (!old) throw notFound(req.def, req.name!);
  if (served.metadata.name === undefined) served.metadata.name = req.name;
  const stored = await replaceObject(req, served, old, { statusOnly, manager: managerFor(req) });
  return json(200, toServed(req.def, stored));
}
