import { JSONPath } from 'jsonpath-plus';
import type { KubeObject } from '../types.ts';
import { NAME, ageColumn, humanDuration, printer, type Column, type ColumnSpec, type Printer } from '../tables/format.ts';

/** One `additionalPrinterColumns` entry of a CRD version. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** Without columns a custom resource prints NAME and AGE. */
const DEFAULT_COLUMNS: PrinterColumn[] = [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: ageColumn.description }];

/** The first value a Kubernetes JSONPath (`.spec.replicas`, `.status.conditions[?(@.type=="Ready")].status`) finds. */
export function firstValue(obj: KubeObject, jsonPath: string): unknown {
  const path = jsonPath.startsWith('$') ? jsonPath : `$${jsonPath.startsWith('.') || jsonPath.startsWith('[') ? '' : '.'}${jsonPath}`;
  try {
    const found = JSONPath({ path, json: obj, wrap: true, eval: 'safe' }) as unknown[];
    return found.length ? found[0] : undefined;
  } catch {
    return undefined;
  }
}

/** A JSONPath that the column printer can run (checked when the CRD is written). */
export function isValidJsonPath(jsonPath: string): boolean {
  if (!jsonPath.startsWith('.')) return false;
  try {
    JSONPath({ path: `$${jsonPath}`, json: {}, wrap: true, eval: 'safe' });
    return true;
  } catch {
    return false;
  }
}

/** A cell as the API server's CRD table convertor renders it: dates as ages, strings as text. */
function cell(type: string, value: unknown, nowMs: number): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'date': {
      if (typeof value !== 'string') return null;
      const t = Date.parse(value);
      return Number.isNaN(t) ? '<invalid>' : humanDuration(nowMs - t);
    }
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? value : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

export function customResourcePrinter(columns: PrinterColumn[] | undefined): Printer {
  const cols = columns?.length ? columns : DEFAULT_COLUMNS;
  return printer([
    NAME,
    ...cols.map((c): ColumnSpec => {
      const d: Column = { name: c.name, type: (['integer', 'number', 'boolean', 'date'].includes(c.type) ? c.type : 'string') as Column['type'] };
      if (c.format) d.format = c.format;
      d.description = c.description ?? 'Custom resource definition column (in JSONPath format): ' + c.jsonPath;
      if (c.priority) d.priority = c.priority;
      return [d, (obj, nowMs) => cell(c.type, firstValue(obj, c.jsonPath), nowMs)];
    }),
  ]);
}
