import type { KubeObject } from '../types.ts';
import { badRequest, fieldInvalid, invalid, notFound } from '../status.ts';
import { mergePatch } from '../patch/merge.ts';
import { jsonPatch } from '../patch/json-patch.ts';
import { strategicMergePatch } from '../patch/strategic.ts';
import { toServed } from '../objects/encode.ts';
import { patchTypeOf } from './patch.ts';
import { managerFor, replaceObject } from './write.ts';
import { json, type KubeRequest, type KubeResponse } from './context.ts';
import { loadObject } from './read.ts';

const scaleSubject = { plural: 'scale', group: 'autoscaling', kind: 'Scale' };

/** The autoscaling/v1 Scale view of a workload. */
export function toScale(req: KubeRequest, obj: KubeObject): KubeObject {
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: req.storageDef.scale?.selector(obj) ?? '' },
  };
}

async function writeReplicas(req: KubeRequest, old: KubeObject, scale: KubeObject, optimistic: boolean): Promise<KubeResponse> {
  const replicas = scale.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid(scaleSubject, old.metadata.name!, [fieldInvalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
  }
  const served = toServed(req.def, structuredClone(old));
  served.spec = { ...(served.spec ?? {}), replicas };
  if (optimistic && scale.metadata?.resourceVersion) served.metadata.resourceVersion = scale.metadata.resourceVersion;
  else delete served.metadata.resourceVersion;
  const stored = await replaceObject(req, served, old, { manager: managerFor(req) });
  return json(200, toScale(req, stored));
}

export async function handleScale(req: KubeRequest, method: string, text: string): Promise<KubeResponse> {
  if (!req.storageDef.scale) throw notFound(req.def, req.name!);
  const old = await loadObject(req, req.name!);
  if (method === 'GET') return json(200, toScale(req, old));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding Scale: ${(e as Error).message}`);
  }
  if (method === 'PUT') return writeReplicas(req, old, body as KubeObject, true);
  const current = toScale(req, old);
  const type = patchTypeOf(req.contentType);
  const next = type === 'json' ? jsonPatch(current, body) : type === 'merge' ? mergePatch(current, body) : type === 'strategic' ? strategicMergePatch(current, body, 'Scale') : mergePatch(current, body);
  return writeReplicas(req, old, next as KubeObject, false);
}
