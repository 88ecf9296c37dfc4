import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { bigint, bigserial, customType, doublePrecision, index, pgTable, primaryKey, uniqueIndex, type PgTableWithColumns } from 'drizzle-orm/pg-core';
import { is } from 'drizzle-orm';
import { SQLiteTable as SQLiteTableClass } from 'drizzle-orm/sqlite-core';
import * as sqliteSchema from './schema/index.ts';

/**
 * The PostgreSQL schema, derived from the SQLite one (src/store/schema) rather than written twice:
 * the code builds every query with the SQLite tables, and the PostgreSQL adapter runs them there, so
 * the two must name the same tables, columns, keys and indexes. drizzle-kit generates the
 * PostgreSQL migrations (migrations-pg/) from this file; test/store/pg-schema.test.ts fails when the
 * applied migrations no longer match the SQLite schema.
 *
 * Types: SQLite integer → bigint (epoch ms overflow int4), real → double precision, text → text
 * with the "C" collation, so ORDER BY and the `(namespace, name) > (…)` continue tokens compare bytes
 * as SQLite does, whatever the database's locale. An AUTOINCREMENT key becomes a bigserial.
 */
const textC = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

function pgColumn(col: SQLiteColumn) {
  const autoIncrement = (col as SQLiteColumn & { autoIncrement?: boolean }).autoIncrement === true;
  if (autoIncrement) return bigserial(col.name, { mode: 'number' });
  let c;
  switch (col.columnType) {
    case 'SQLiteText':
      c = textC(col.name);
      break;
    case 'SQLiteInteger':
    case 'SQLiteBoolean':
    case 'SQLiteTimestamp':
      c = bigint(col.name, { mode: 'number' });
      break;
    case 'SQLiteReal':
      c = doublePrecision(col.name);
      break;
    default:
      throw new Error(`no PostgreSQL type for ${col.columnType} (${col.name})`);
  }
  if (col.notNull) c = c.notNull();
  if (col.hasDefault && col.default !== undefined) c = c.default(typeof col.default === 'boolean' ? (Number(col.default) as never) : (col.default as never));
  if (col.isUnique) c = c.unique(col.uniqueName);
  return c;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function toPgTable(table: SQLiteTable): PgTableWithColumns<any> {
  const cfg = getTableConfig(table);
  const columns = Object.fromEntries(cfg.columns.map((c) => [c.name, c.primary ? pgColumn(c).primaryKey() : pgColumn(c)]));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return pgTable(cfg.name, columns as any, (t: any) => [
    ...cfg.primaryKeys.map((pk) => primaryKey({ columns: pk.columns.map((c) => t[c.name]) as [never, ...never[]] })),
    ...cfg.indexes.map((i) => {
      const cols = i.config.columns.map((c) => t[(c as SQLiteColumn).name]) as [never, ...never[]];
      return i.config.unique ? uniqueIndex(i.config.name).on(...cols) : index(i.config.name).on(...cols);
    }),
  ]);
}

/** Every SQLite table, keyed by its export name, as its PostgreSQL twin. */
export const pgTables = Object.fromEntries(
  Object.entries(sqliteSchema)
    .filter(([, t]) => is(t, SQLiteTableClass))
    .map(([name, t]) => [name, toPgTable(t as SQLiteTable)]),
);

// drizzle-kit reads the tables from this module's exports.
export const {
  tenants,
  apiKeys,
  keyRevocations,
  signingKeys,
  settings,
  clusters,
  nodePools,
  operations,
  idempotencyKeys,
  clusterTokens,
  clusterEvents,
  objects,
  watchEvents,
  usageIntervals,
  usageRecords,
  billingCursors,
  budgets,
  billingAlerts,
  monitoringSamples,
  metricSamples,
  metricRollups,
  autoscalingState,
  clusterTraffic,
  writeGuards,
  reconcileMarks,
  rateLimits,
  workerLeases,
} = pgTables;
