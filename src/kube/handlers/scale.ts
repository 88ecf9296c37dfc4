import type { KubeObject } from '../types.ts';
import { badRequest, fieldInvalid, invalid, notFound } from '../status.ts';
import { isPlainObject } from '../patch/merge.ts';
import { toServed } from '../objects/encode.ts';
import { applyPatchDocument, parsePatchBody, patchTypeOf } from './patch.ts';
import { parseJsonBody } from './body.ts';
import { managerFor, replaceObject } from './write.ts';
import { json, type KubeRequest, type KubeResponse } from './context.ts';
import { loadObject } from './read.ts';

const scaleSubject = { plural: 'scale', group: 'autoscaling', kind: 'Scale' };

/** The value at a simple `.a.b.c` path. */
function valueAt(obj: KubeObject, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split('.').filter(Boolean)) cur = isPlainObject(cur) ? cur[seg] : undefined;
  return cur;
}

/** Sets the value at a simple `.a.b.c` path, creating the objects on the way. */
function setAt(obj: KubeObject, path: string, value: unknown): void {
  const segs = path.split('.').filter(Boolean);
  let cur: Record<string, unknown> = obj;
  for (const seg of segs.slice(0, -1)) {
    if (!isPlainObject(cur[seg])) cur[seg] = {};
    cur = cur[seg] as Record<string, unknown>;
  }
  cur[segs[segs.length - 1]] = value;
}

const count = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** The autoscaling/v1 Scale view of a workload (or of a custom resource, at its CRD's replica paths). */
export function toScale(req: KubeRequest, obj: KubeObject): KubeObject {
  const m = obj.metadata;
  const paths = req.storageDef.scale;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: count(valueAt(obj, paths?.specReplicasPath ?? '.spec.replicas')) },
    status: { replicas: count(valueAt(obj, paths?.statusReplicasPath ?? '.status.replicas')), selector: paths?.selector(obj) ?? '' },
  };
}

async function writeReplicas(req: KubeRequest, old: KubeObject, scale: KubeObject, optimistic: boolean): Promise<KubeResponse> {
  const replicas = isPlainObject(scale.spec) ? scale.spec.replicas : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid(scaleSubject, old.metadata.name!, [fieldInvalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
  }
  const served = toServed(req.def, structuredClone(old));
  const specPath = req.storageDef.scale?.specReplicasPath;
  if (specPath) setAt(served, specPath, replicas);
  else served.spec = { ...(served.spec ?? {}), replicas };
  if (optimistic && scale.metadata?.resourceVersion) served.metadata.resourceVersion = scale.metadata.resourceVersion;
  else delete served.metadata.resourceVersion;
  const stored = await replaceObject(req, served, old, { manager: managerFor(req) });
  return json(200, toScale(req, stored));
}

export async function handleScale(req: KubeRequest, method: string, text: string): Promise<KubeResponse> {
  if (!req.storageDef.scale) throw notFound(req.def, req.name!);
  const old = await loadObject(req, req.name!);
  if (method === 'GET') return json(200, toScale(req, old));
  if (method === 'PUT') {
    let body: unknown;
    try {
      body = parseJsonBody(text);
    } catch (e) {
      if (e instanceof SyntaxError) throw badRequest(`error decoding Scale: ${e.message}`);
      throw e;
    }
    if (!isPlainObject(body)) throw badRequest('the body of the request was in an unknown format: expected a JSON object');
    return writeReplicas(req, old, body as KubeObject, true);
  }
  const type = patchTypeOf(req.contentType);
  const patch = parsePatchBody(text, type);
  const next = applyPatchDocument(type === 'apply' ? 'merge' : type, toScale(req, old), patch, 'Scale');
  return writeReplicas(req, old, next, false);
}
