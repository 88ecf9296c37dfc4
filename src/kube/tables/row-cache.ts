import type { CachedObject } from '../../store/object-cache/index.ts';
import type { Printer } from './format.ts';
import { partialObjectMetadata, type IncludeObject, type Table } from './table.ts';

/** The row's PartialObjectMetadata as JSON, kept with the cached version of its object. */
const METADATA_JSON = 'table.metadataJson';

/**
 * A Table of cached objects as JSON text, the same text as `JSON.stringify(toTable(...))`, built by
 * splicing: each row's object part is the metadata JSON kept with the cached object (or its stored
 * JSON as it is, for `includeObject=Object`), so an object unchanged since an earlier list is not
 * parsed again and only the cells are serialised per request.
 */
export function tableJson(printer: Printer, objects: readonly CachedObject[], nowMs: number, meta: Table['metadata'], include: IncludeObject): string {
  const head = JSON.stringify({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: meta, columnDefinitions: printer.columns }).slice(0, -1);
  const out: string[] = new Array(objects.length);
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const cells = JSON.stringify(printer.cells(o.object(), nowMs));
    if (include === 'None') out[i] = `{"cells":${cells}}`;
    else out[i] = `{"cells":${cells},"object":${include === 'Object' ? o.json : o.memo(METADATA_JSON, (obj) => JSON.stringify(partialObjectMetadata(obj)))}}`;
  }
  return `${head},"rows":[${out.join(',')}]}`;
}
