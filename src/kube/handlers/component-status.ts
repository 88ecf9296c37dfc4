import type { KubeObject } from '../types.ts';
import { methodNotAllowed, notFound } from '../status.ts';
import { TABLE_CONTENT_TYPE, wantsTable } from '../objects/encode.ts';
import { toTable } from '../tables/table.ts';
import { componentStatusPrinter } from '../tables/legacy.ts';
import { json, type KubeRequest, type KubeResponse } from './context.ts';

/** The components `kubectl get cs` lists, in upstream's order. */
const COMPONENTS = ['controller-manager', 'scheduler', 'etcd-0'];

export const COMPONENT_STATUS_DEPRECATION = 'v1 ComponentStatus is deprecated in v1.19+';

/**
 * The deprecated ComponentStatus API: computed on read, never stored. The scheduler, controllers
 * and store of a virtual cluster are the service's own workers and database, which answered this
 * request, so each reports Healthy as a working control plane does.
 */
function componentStatus(name: string): KubeObject {
  return {
    kind: 'ComponentStatus',
    apiVersion: 'v1',
    metadata: { name },
    conditions: [{ type: 'Healthy', status: 'True', message: 'ok', error: '' }],
  } as KubeObject;
}

export function handleComponentStatus(req: KubeRequest, verb: string): KubeResponse {
  req.warnings.push(COMPONENT_STATUS_DEPRECATION);
  if (verb !== 'get' && verb !== 'list') throw methodNotAllowed();
  const items = req.name ? [req.name] : COMPONENTS;
  if (req.name && !COMPONENTS.includes(req.name)) throw notFound(req.def, req.name);
  const objects = items.map(componentStatus);
  if (wantsTable(req.accept)) return json(200, toTable(componentStatusPrinter, objects, 0, {}, 'Metadata'), TABLE_CONTENT_TYPE);
  if (req.name) return json(200, objects[0]);
  return json(200, { kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items: objects });
}
