import type { KubeObject } from '../types.ts';
import { StoreError } from '../../store/errors.ts';
import { fromStoreError, notFound } from '../status.ts';
import { toServed, TABLE_CONTENT_TYPE, wantsTable } from '../objects/encode.ts';
import { gvString } from '../registry/types.ts';
import { defaultPrinter } from '../tables/other.ts';
import { toTable, type IncludeObject } from '../tables/table.ts';
import { json, type KubeRequest, type KubeResponse } from './context.ts';
import { parseListQuery } from './list-options.ts';

export function printerOf(req: KubeRequest) {
  return req.storageDef.printer ?? req.def.printer ?? defaultPrinter;
}

function includeObject(req: KubeRequest): IncludeObject {
  const v = req.query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export async function loadObject(req: KubeRequest, name: string): Promise<KubeObject> {
  const obj = await req.deps.store.get(req.clusterId, req.storageDef.storage, req.namespace ?? '', name);
  if (!obj) throw notFound(req.def, name);
  return obj;
}

export async function handleGet(req: KubeRequest): Promise<KubeResponse> {
  const obj = await loadObject(req, req.name!);
  if (wantsTable(req.accept)) {
    const now = await req.deps.store.clusterNow(req.clusterId);
    return json(200, toTable(printerOf(req), [obj], now, { resourceVersion: obj.metadata.resourceVersion }, includeObject(req)), TABLE_CONTENT_TYPE);
  }
  return json(200, toServed(req.def, obj));
}

export async function handleList(req: KubeRequest): Promise<KubeResponse> {
  const q = parseListQuery(req.def, req.query);
  let page;
  try {
    page = await req.deps.store.list(req.clusterId, req.storageDef.storage, { namespace: req.namespace, filter: q.filter, limit: q.limit, continue: q.continue });
  } catch (e) {
    if (e instanceof StoreError) throw fromStoreError(e, req.def);
    throw e;
  }
  const meta: { resourceVersion: string; continue?: string } = { resourceVersion: page.resourceVersion };
  if (page.continue) meta.continue = page.continue;
  if (wantsTable(req.accept)) {
    const now = await req.deps.store.clusterNow(req.clusterId);
    return json(200, toTable(printerOf(req), page.items, now, meta, includeObject(req)), TABLE_CONTENT_TYPE);
  }
  const items = req.def.convert ? page.items.map((o) => toServed(req.def, o)) : page.items;
  return json(200, { kind: `${req.def.kind}List`, apiVersion: gvString(req.def), metadata: meta, items });
}
