import type { KubeObject } from '../types.ts';
import type { StoredRow } from '../../store/objects.ts';
import type { Printer } from './format.ts';
import { partialObjectMetadata, type IncludeObject, type Table } from './table.ts';

/** Objects remembered across requests (about as many as kubectl lists in a big namespace, a few times over). */
const MAX_ENTRIES = 20_000;

interface Decoded {
  object: KubeObject;
  /** The row's PartialObjectMetadata, already JSON. */
  metadataJson: string;
}

/**
 * Stored objects decoded for Table rows, kept while their resourceVersion is unchanged, so listing
 * thousands of pods again (kubectl get pods, a console refresh) parses only what changed since. The
 * decoded objects are only read by printers, never changed or handed out.
 */
export class DecodedRows {
  private readonly entries = new Map<string, { rv: number; decoded: Decoded }>();

  decode(clusterId: string, resource: string, row: StoredRow): Decoded {
    const key = `${clusterId}/${resource}/${row.namespace}/${row.name}`;
    const hit = this.entries.get(key);
    if (hit && hit.rv === row.resourceVersion) return hit.decoded;
    const object = JSON.parse(row.body) as KubeObject;
    const decoded = { object, metadataJson: JSON.stringify(partialObjectMetadata(object)) };
    if (hit) this.entries.delete(key);
    else if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { rv: row.resourceVersion, decoded });
    return decoded;
  }
}

/**
 * A Table of stored rows as JSON text, the same text as `JSON.stringify(toTable(...))`, built by
 * splicing: each row's object part is the cached metadata JSON (or the stored JSON as it is, for
 * `includeObject=Object`), so only the cells are serialised per request.
 */
export function tableJson(
  cache: DecodedRows,
  clusterId: string,
  resource: string,
  printer: Printer,
  rows: StoredRow[],
  nowMs: number,
  meta: Table['metadata'],
  include: IncludeObject,
): string {
  const head = JSON.stringify({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: meta, columnDefinitions: printer.columns }).slice(0, -1);
  const out: string[] = [];
  for (const row of rows) {
    const { object, metadataJson } = cache.decode(clusterId, resource, row);
    const cells = JSON.stringify(printer.cells(object, nowMs));
    out.push(include === 'None' ? `{"cells":${cells}}` : `{"cells":${cells},"object":${include === 'Object' ? row.body : metadataJson}}`);
  }
  return `${head},"rows":[${out.join(',')}]}`;
}
