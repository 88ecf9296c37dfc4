import type BetterSqlite3 from 'better-sqlite3';
import { Column, is, Param, Placeholder, SQL } from 'drizzle-orm';
import type { PreparedQuery } from '../store/db.ts';

/** What drizzle's prepared query for better-sqlite3 holds (its SQL text, parameters and selected fields). */
interface DrizzlePrepared {
  query: { sql: string; params: unknown[] };
  fields?: { path: string[]; field: unknown }[];
  customResultMapper?: unknown;
}

type Decoder = { mapFromDriverValue(v: unknown): unknown };

/**
 * A drizzle prepared query run on a better-sqlite3 statement of our own: the parameter binding and
 * the row mapping are worked out once here, where drizzle redoes them (an entity check per
 * parameter, per field and per row) on every call. The store's hot statements run a few times per
 * request and per pass, so this is a visible share of both. Anything not plainly shaped (joins,
 * nested or custom-mapped fields) returns undefined and keeps drizzle's own path.
 */
export function directPrepared<V extends Record<string, unknown>>(sqlite: BetterSqlite3.Database, prepared: unknown): PreparedQuery<V> | undefined {
  // (drizzle's joinsNotNullableMap only matters for fields nested under a joined table, refused below.)
  const { query, fields, customResultMapper } = prepared as DrizzlePrepared;
  if (!query || typeof query.sql !== 'string' || !Array.isArray(query.params) || customResultMapper) return undefined;
  const binders: ((values: V) => unknown)[] = [];
  for (const p of query.params) {
    if (is(p, Placeholder)) binders.push(placeholderValue(p.name));
    else if (is(p, Param) && is(p.value, Placeholder)) {
      const { encoder } = p;
      const read = placeholderValue<V>((p.value as Placeholder).name);
      binders.push((values) => encoder.mapToDriverValue(read(values)));
    } else binders.push(() => p);
  }
  const params = (values: V) => binders.map((b) => b(values));

  const stmt = sqlite.prepare(query.sql);
  if (!stmt.reader) {
    return {
      get: async () => {
        throw new Error('not a query that returns rows');
      },
      all: async () => {
        throw new Error('not a query that returns rows');
      },
      write: (values, expectChanges) => ({ query: { run: () => stmt.run(...params(values)) }, expectChanges }),
    };
  }
  if (!fields) return undefined;
  const names: string[] = [];
  const decoders: Decoder[] = [];
  for (const { path, field } of fields) {
    if (path.length !== 1) return undefined;
    const decoder = is(field, Column) ? field : is(field, SQL) ? (field as unknown as { decoder: Decoder }).decoder : undefined;
    if (!decoder) return undefined;
    names.push(path[0]);
    decoders.push(decoder as Decoder);
  }
  stmt.raw(true);
  const toRow = (raw: unknown[]) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) row[names[i]] = raw[i] === null ? null : decoders[i].mapFromDriverValue(raw[i]);
    return row;
  };
  return {
    get: async <R>(values: V) => {
      const raw = stmt.get(...params(values)) as unknown[] | undefined;
      return (raw ? toRow(raw) : undefined) as R | undefined;
    },
    all: async <R>(values: V) => (stmt.all(...params(values)) as unknown[][]).map(toRow) as R[],
    write: () => {
      throw new Error('a query that returns rows is not a write');
    },
  };
}

function placeholderValue<V extends Record<string, unknown>>(name: string): (values: V) => unknown {
  return (values) => {
    if (!(name in values)) throw new Error(`No value for placeholder "${name}" was provided`);
    return values[name];
  };
}
