import type { Container } from '../objects.ts';
import type { LabelSelector } from '../selectors/labels.ts';
import type { KubeObject } from '../types.ts';

/** A column of a server-side Table, as in meta.k8s.io/v1 TableColumnDefinition. */
export interface Column {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  /** 1 = only with `-o wide`. */
  priority?: number;
}

/** How one kind prints: its columns and the cells of one object (same order). */
export interface Printer {
  columns: Column[];
  cells(obj: KubeObject, nowMs: number): unknown[];
}

export const nameColumn: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.' };
export const ageColumn: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

export function col(name: string, type: Column['type'] = 'string', priority?: number, description?: string): Column {
  const c: Column = { name, type };
  if (description) c.description = description;
  if (priority) c.priority = priority;
  return c;
}

/** What a cell shows for one object of the kind `T`. */
export type Cell<T extends KubeObject = KubeObject> = (obj: T, nowMs: number) => unknown;

/** One column of a kind's Table and how its cell is read from an object. */
export type ColumnSpec<T extends KubeObject = KubeObject> = readonly [Column, Cell<T>];

/**
 * A kind's Table as data: its columns in order, each with the cell it shows. The Printer keeps the
 * columns and the cells in the same order by construction.
 */
export function printer<T extends KubeObject = KubeObject>(specs: readonly ColumnSpec<T>[]): Printer {
  const cells = specs.map(([, cell]) => cell);
  return {
    columns: specs.map(([column]) => column),
    cells: (obj, nowMs) => {
      const row = new Array<unknown>(cells.length);
      // The table of a resource only ever prints objects of its kind.
      for (let i = 0; i < cells.length; i++) row[i] = cells[i](obj as T, nowMs);
      return row;
    },
  };
}

export const NAME: ColumnSpec = [nameColumn, (o) => o.metadata.name];
export const AGE: ColumnSpec = [ageColumn, (o, nowMs) => age(o, nowMs)];

/** kubectl's duration.HumanDuration: "45s", "5m3s", "3h", "2d3h", "1y5d". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** Age of a timestamp, `<unknown>` when it is missing. */
export function since(ts: unknown, nowMs: number): string {
  if (typeof ts !== 'string' || !ts) return '<unknown>';
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(nowMs - t);
}

export function age(obj: KubeObject, nowMs: number): string {
  return since(obj.metadata.creationTimestamp, nowMs);
}

export const orNone = (v: unknown): string => (v === undefined || v === null || v === '' ? '<none>' : String(v));

/** What the container columns read from a pod spec or template spec. */
type WithContainers = { containers?: Container[] } | undefined;

export function containerNames(spec: WithContainers): string {
  return orNone((spec?.containers ?? []).map((c) => c.name).join(','));
}

export function containerImages(spec: WithContainers): string {
  return orNone((spec?.containers ?? []).map((c) => c.image).join(','));
}

/** A structured LabelSelector in kubectl's text form (`app=web,tier in (a,b)`). */
export function selectorText(sel: LabelSelector | undefined): string {
  if (!sel) return '<none>';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.sort().join(',') : '<none>';
}

export function mapSelectorText(sel: Record<string, string> | undefined): string {
  if (!sel || Object.keys(sel).length === 0) return '<none>';
  return Object.entries(sel)
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',');
}

const ACCESS_MODE_SHORT: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

export function accessModes(modes: string[] | undefined): string {
  return (modes ?? []).map((m) => ACCESS_MODE_SHORT[m] ?? m).join(',');
}
