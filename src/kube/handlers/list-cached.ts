import { decodeContinue, encodeContinue } from '../../store/objects.ts';
import { BoundedLru, indexOf, objectCacheFor, type CachedObject } from '../../store/object-cache/index.ts';
import { TABLE_CONTENT_TYPE, wantsTable } from '../objects/encode.ts';
import { gvString } from '../registry/types.ts';
import { tableJson } from '../tables/row-cache.ts';
import type { Printer } from '../tables/format.ts';
import type { IncludeObject } from '../tables/table.ts';
import { json, type KubeRequest, type KubeResponse } from './context.ts';
import type { ListQuery } from './list-options.ts';

/**
 * A LIST of a resource stored as it is served (no conversion, no read view), answered from the
 * process's object cache: the objects as of one revision, brought up to date from the watch log, so
 * a list of 5,000 pods reads only what changed since the last list. JSON lists splice the stored
 * JSON texts; Tables parse each object once per version and serialise only the cells.
 */
export async function listFromCache(req: KubeRequest, q: ListQuery, table: { printer: Printer; include: IncludeObject }): Promise<KubeResponse> {
  const snap = await objectCacheFor(req.deps.store).snapshot(req.clusterId, req.storageDef.storage);
  const page = select(snap.objects, req.namespace, q);
  const meta = page.continue ? { resourceVersion: String(snap.revision), continue: page.continue } : { resourceVersion: String(snap.revision) };
  if (wantsTable(req.accept)) {
    const now = await req.deps.store.clusterNow(req.clusterId);
    return json(200, tableJson(table.printer, page.objects, now, meta, table.include), TABLE_CONTENT_TYPE);
  }
  // Stored JSON goes out as it is: a list of thousands of objects is not parsed and re-serialised.
  const head = JSON.stringify({ kind: `${req.def.kind}List`, apiVersion: gvString(req.def), metadata: meta }).slice(0, -1);
  const whole = !q.filter && !q.limit && !q.continue;
  return json(200, `${head},"items":[${whole ? itemsOf(snap.objects, req.namespace, page.objects) : joinItems(page.objects)}]}`);
}

const joinItems = (objects: readonly CachedObject[]) => objects.map((o) => o.json).join(',');

/**
 * The items of recent whole lists, joined once per snapshot: a snapshot is replaced by any change of
 * its resource, so while nothing changed (an informer's relist, a dashboard polling a big namespace)
 * the same text is sent again. A few lists, bounded by their size.
 */
const joined = new BoundedLru<readonly CachedObject[], { namespace?: string; text: string }>(16, 64 * 2 ** 20, (v) => v.text.length);

function itemsOf(snapshot: readonly CachedObject[], namespace: string | undefined, selected: readonly CachedObject[]): string {
  const hit = joined.get(snapshot);
  if (hit && hit.namespace === namespace) return hit.text;
  const text = joinItems(selected);
  joined.set(snapshot, { namespace, text });
  return text;
}

/** The page a list asks for: its namespace, after its continue token, through its selectors, up to its limit. */
export function select(all: readonly CachedObject[], namespace: string | undefined, q: ListQuery): { objects: CachedObject[]; continue?: string } {
  let start = 0;
  let end = all.length;
  if (namespace !== undefined) {
    start = indexOf(all, { namespace, name: '' });
    end = indexOf(all, { namespace: `${namespace}\u0000`, name: '' });
  }
  if (q.continue) {
    const after = decodeContinue(q.continue);
    let i = indexOf(all, after);
    if (i < all.length && all[i].namespace === after.namespace && all[i].name === after.name) i++;
    start = Math.max(start, i);
  }
  const objects: CachedObject[] = [];
  for (let i = start; i < end; i++) {
    const o = all[i];
    if (q.filter && !q.filter(o.object())) continue;
    if (q.limit && objects.length === q.limit) {
      const last = objects[objects.length - 1];
      return { objects, continue: encodeContinue({ namespace: last.namespace, name: last.name }) };
    }
    objects.push(o);
  }
  return { objects };
}
