import type { KubeObject } from '../types.ts';
import type { Column, Printer } from './format.ts';

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: Column[];
  rows: TableRow[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** PartialObjectMetadata: what `-A` and `--show-labels` read from each row. */
export function partialObjectMetadata(obj: KubeObject): unknown {
  const { managedFields: _mf, ...metadata } = obj.metadata;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return partialObjectMetadata(obj);
}

export function tableRow(printer: Printer, obj: KubeObject, nowMs: number, include: IncludeObject = 'Metadata'): TableRow {
  const row: TableRow = { cells: printer.cells(obj, nowMs) };
  const o = rowObject(obj, include);
  if (o !== undefined) row.object = o;
  return row;
}

export function toTable(printer: Printer, objects: KubeObject[], nowMs: number, meta: Table['metadata'], include: IncludeObject = 'Metadata'): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: printer.columns,
    rows: objects.map((o) => tableRow(printer, o, nowMs, include)),
  };
}
