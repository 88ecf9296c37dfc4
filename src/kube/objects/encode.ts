import type { KubeObject } from '../types.ts';
import type { ResourceDef } from '../registry/types.ts';
import { gvString } from '../registry/types.ts';

/** The stored object as the client's version shows it. */
export function toServed(def: ResourceDef, stored: KubeObject): KubeObject {
  const obj = def.convert ? def.convert.fromStorage(stored) : stored;
  obj.apiVersion = gvString(def);
  obj.kind = def.kind;
  return obj;
}

/** A request body in the stored shape. */
export function toStorage(def: ResourceDef, storageDef: ResourceDef, body: KubeObject): KubeObject {
  const obj = def.convert ? def.convert.toStorage(body) : body;
  obj.apiVersion = gvString(storageDef);
  obj.kind = storageDef.kind;
  return obj;
}

/** Accept asks for a server-side Table (`kubectl get` human output). */
export function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
