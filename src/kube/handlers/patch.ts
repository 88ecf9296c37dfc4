import type { KubeObject } from '../types.ts';
import { StoreError } from '../../store/errors.ts';
import { badRequest, failure, fromStoreError, notFound, unsupportedMediaType } from '../status.ts';
import { gvString } from '../registry/types.ts';
import { toServed } from '../objects/encode.ts';
import { mergePatch, isPlainObject } from '../patch/merge.ts';
import { jsonPatch, JsonPatchFailure } from '../patch/json-patch.ts';
import { strategicMergePatch, StrategicPatchError } from '../patch/strategic.ts';
import { ApplyConflictError, conflictMessage, serverSideApply } from '../patch/apply.ts';
import { isoTime } from '../../lib/clock.ts';
import { mediaType, parseJsonBody, parseYamlBody } from './body.ts';
import { prototypePointerSegment } from '../../lib/body-shape.ts';
import { checkTypeMeta, createObject, managerFor, replaceObject } from './write.ts';
import { json, type KubeRequest, type KubeResponse } from './context.ts';
import { checkStrictFields } from '../openapi/strict.ts';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

export function patchTypeOf(contentType: string): PatchType {
  const t = PATCH_TYPES[mediaType(contentType)];
  if (!t) throw unsupportedMediaType(contentType);
  return t;
}

export function parsePatchBody(text: string, type: PatchType): unknown {
  if (type === 'apply') return parseYamlBody(text, 'error decoding patch');
  let patch: unknown;
  try {
    patch = parseJsonBody(text);
  } catch (e) {
    if (e instanceof SyntaxError) throw badRequest(`error decoding patch: ${e.message}`);
    throw e;
  }
  if (type === 'json') checkPatchPointers(patch);
  return patch;
}

/** JSON Patch paths that would walk into a prototype (`/__proto__`, `/constructor/prototype`) are refused. */
function checkPatchPointers(ops: unknown): void {
  if (!Array.isArray(ops)) return;
  for (const op of ops) {
    for (const key of ['path', 'from'] as const) {
      const pointer = isPlainObject(op) ? op[key] : undefined;
      const seg = typeof pointer === 'string' ? prototypePointerSegment(pointer) : undefined;
      if (seg)
        throw failure(
          422,
          'Invalid',
          `the server rejected our request due to an error in our request: the path "${pointer}" may not contain the segment "${seg}"`,
        );
    }
  }
}

/** Applies a non-apply patch to the served form of the live object. */
export function applyPatchDocument(type: Exclude<PatchType, 'apply'>, live: KubeObject, patch: unknown, kind: string): KubeObject {
  try {
    let out: unknown;
    if (type === 'json') out = jsonPatch(live, patch);
    else if (type === 'merge') out = mergePatch(live, patch);
    else out = strategicMergePatch(live, patch, kind);
    if (!isPlainObject(out)) throw badRequest('the patch produced something that is not an object');
    return out as KubeObject;
  } catch (e) {
    if (e instanceof JsonPatchFailure) throw failure(422, 'Invalid', `the server rejected our request due to an error in our request: ${e.message}`);
    if (e instanceof StrategicPatchError) throw badRequest(e.message);
    throw e;
  }
}

const MAX_RETRIES = 5;

/** PATCH of the main resource or of its status: re-applied on the latest object when a write races. */
export async function handlePatch(req: KubeRequest, text: string, opts: { statusOnly?: boolean } = {}): Promise<KubeResponse> {
  const type = patchTypeOf(req.contentType);
  // Custom kinds have no patch strategies to merge by: upstream refuses strategic merge for them.
  if (type === 'strategic' && req.def.custom) throw unsupportedMediaType(req.contentType, false);
  const patch = parsePatchBody(text, type);
  if (type === 'apply') return handleApply(req, patch, !!opts.statusOnly);
  const manager = managerFor(req);
  const explicitRv = isPlainObject(patch) && isPlainObject(patch.metadata) && typeof patch.metadata.resourceVersion === 'string';
  for (let attempt = 0; ; attempt++) {
    const old = await req.deps.store.get(req.clusterId, req.storageDef.storage, req.namespace ?? '', req.name!);
    if (!old) throw notFound(req.def, req.name!);
    const live = toServed(req.def, structuredClone(old));
    const patched = applyPatchDocument(type, live, patch, req.def.kind);
    const served = checkTypeMeta(req, patched);
    if (attempt === 0 && !opts.statusOnly) checkStrictFields(req, served);
    if (!explicitRv) served.metadata.resourceVersion = old.metadata.resourceVersion;
    try {
      const stored = await replaceObject(req, served, old, { statusOnly: opts.statusOnly, manager });
      return json(200, toServed(req.def, stored));
    } catch (e) {
      const isConflict = (e as { code?: number }).code === 409 && (e as Error).message.includes('the object has been modified');
      if (isConflict && !explicitRv && attempt < MAX_RETRIES) continue;
      throw e;
    }
  }
}

/** Server-side apply: creates the object when it does not exist, else merges with field ownership. */
async function handleApply(req: KubeRequest, patch: unknown, statusOnly: boolean): Promise<KubeResponse> {
  const manager = req.query.get('fieldManager');
  if (!manager) throw badRequest('fieldManager: Required value: is required for apply patch');
  const force = req.query.get('force') === 'true';
  const applied = checkTypeMeta(req, patch);
  if (!statusOnly) checkStrictFields(req, applied);
  if (applied.metadata.name && applied.metadata.name !== req.name) {
    throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${req.name})`);
  }
  applied.metadata.name = req.name;
  for (let attempt = 0; ; attempt++) {
    const old = await req.deps.store.get(req.clusterId, req.storageDef.storage, req.namespace ?? '', req.name!);
    const time = isoTime(await req.deps.store.clusterNow(req.clusterId));
    const applyReq = { manager, apiVersion: gvString(req.def), force, time };
    try {
      if (!old) {
        if (statusOnly) throw notFound(req.def, req.name!);
        const merged = serverSideApply(undefined, structuredClone(applied), applyReq);
        const stored = await createObject(req, merged, manager, { managedFieldsDone: true });
        return json(201, toServed(req.def, stored));
      }
      const live = toServed(req.def, structuredClone(old));
      const merged = serverSideApply(live, structuredClone(applied), applyReq);
      merged.metadata.resourceVersion = old.metadata.resourceVersion;
      const stored = await replaceObject(req, merged, old, { statusOnly, manager, managedFieldsDone: true });
      return json(200, toServed(req.def, stored));
    } catch (e) {
      if (e instanceof ApplyConflictError) {
        throw failure(409, 'Conflict', conflictMessage(e.conflicts), {
          name: req.name,
          group: req.def.group || undefined,
          kind: req.def.plural,
          causes: e.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: c.field })),
        });
      }
      const raced = (e as { code?: number }).code === 409 && attempt < MAX_RETRIES && !(e instanceof StoreError);
      if (raced && ((e as Error).message.includes('the object has been modified') || (e as Error).message.includes('already exists'))) continue;
      if (e instanceof StoreError) throw fromStoreError(e, req.def);
      throw e;
    }
  }
}
