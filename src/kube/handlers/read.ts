import type { KubeObject } from '../types.ts';
import { StoreError } from '../../store/errors.ts';
import { fromStoreError, notFound } from '../status.ts';
import { toServed, TABLE_CONTENT_TYPE, wantsTable } from '../objects/encode.ts';
import { gvString, type ReadView } from '../registry/types.ts';
import { defaultPrinter } from '../tables/other.ts';
import { toTable, type IncludeObject } from '../tables/table.ts';
import { listFromCache } from './list-cached.ts';
import { json, type KubeRequest, type KubeResponse } from './context.ts';
import { parseListQuery } from './list-options.ts';

export function printerOf(req: KubeRequest) {
  return req.storageDef.printer ?? req.def.printer ?? defaultPrinter;
}

function includeObject(req: KubeRequest): IncludeObject {
  const v = req.query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

const sameObject: ReadView = (o) => o;

/** The served resource's read-time view for this request (identity for resources that derive nothing). */
export async function readViewOf(req: KubeRequest, now?: number): Promise<ReadView> {
  const prepare = req.storageDef.readView;
  if (!prepare) return sameObject;
  return prepare({ store: req.deps.store, clusterId: req.clusterId, namespace: req.namespace, now: now ?? (await req.deps.store.clusterNow(req.clusterId)) });
}

export async function loadObject(req: KubeRequest, name: string): Promise<KubeObject> {
  const obj = await req.deps.store.get(req.clusterId, req.storageDef.storage, req.namespace ?? '', name);
  if (!obj) throw notFound(req.def, name);
  return obj;
}

export async function handleGet(req: KubeRequest): Promise<KubeResponse> {
  const stored = await loadObject(req, req.name!);
  if (wantsTable(req.accept)) {
    const now = await req.deps.store.clusterNow(req.clusterId);
    const obj = (await readViewOf(req, now))(stored);
    return json(200, toTable(printerOf(req), [obj], now, { resourceVersion: obj.metadata.resourceVersion }, includeObject(req)), TABLE_CONTENT_TYPE);
  }
  return json(200, toServed(req.def, (await readViewOf(req))(stored)));
}

export async function handleList(req: KubeRequest): Promise<KubeResponse> {
  const q = parseListQuery(req.def, req.query);
  try {
    // Served as stored: from the process's object cache, which reads only what changed since the last list.
    if (!req.def.convert && !req.storageDef.readView) return await listFromCache(req, q, { printer: printerOf(req), include: includeObject(req) });
    const opts = { namespace: req.namespace, filter: q.filter, limit: q.limit, continue: q.continue };
    if (wantsTable(req.accept)) {
      // listRaw pages in SQL (kubectl asks for 500 rows at a time), so only the page is parsed.
      const page = await req.deps.store.listRaw(req.clusterId, req.storageDef.storage, opts);
      const now = await req.deps.store.clusterNow(req.clusterId);
      const view = await readViewOf(req, now);
      const items = page.bodies.map((b) => view(JSON.parse(b) as KubeObject));
      return json(200, toTable(printerOf(req), items, now, listMeta(page), includeObject(req)), TABLE_CONTENT_TYPE);
    }
    const page = await req.deps.store.list(req.clusterId, req.storageDef.storage, opts);
    const view = await readViewOf(req);
    return json(200, {
      kind: `${req.def.kind}List`,
      apiVersion: gvString(req.def),
      metadata: listMeta(page),
      items: page.items.map((o) => toServed(req.def, view(o))),
    });
  } catch (e) {
    if (e instanceof StoreError) throw fromStoreError(e, req.def);
    throw e;
  }
}

function listMeta(page: { resourceVersion: string; continue?: string }): { resourceVersion: string; continue?: string } {
  return page.continue ? { resourceVersion: page.resourceVersion, continue: page.continue } : { resourceVersion: page.resourceVersion };
}
