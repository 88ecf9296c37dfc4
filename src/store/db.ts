import { getTableColumns } from 'drizzle-orm';
import type { BaseSQLiteDatabase, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema/index.ts';

/** Drizzle over either runtime: better-sqlite3 (sync) on Node, D1 (async) on Workers.
 * Core code always `await`s queries, which works on both. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = BaseSQLiteDatabase<'sync' | 'async', any, typeof schema>;

/** A drizzle insert/update/delete builder, not yet run. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WriteQuery = any;

export interface WriteStatement {
  query: WriteQuery;
  /** When set, the write fails with ConflictError unless exactly this many rows changed. */
  expectChanges?: number;
}

/** Thrown when an optimistic-concurrency check inside an atomic write fails; nothing was written. */
export class WriteConflictError extends Error {
  constructor(message = 'write conflict') {
    super(message);
    this.name = 'WriteConflictError';
  }
}

/** Stands for a value that is bound each time a prepared query runs (`bind('name')`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Bind<V> = (name: keyof V & string) => any;

/** A query built once and run many times with different values. */
export interface PreparedQuery<V> {
  get<R>(values: V): Promise<R | undefined>;
  all<R>(values: V): Promise<R[]>;
  /** The query as a write for `atomicWrite`. */
  write(values: V, expectChanges?: number): WriteStatement;
}

/**
 * The database port. Neither better-sqlite3 nor D1 allows `await` inside a transaction, so a
 * change is computed first (reads are free to await), then sent as one list of statements that
 * commit together or not at all.
 */
export interface Database {
  db: Db;
  atomicWrite(statements: WriteStatement[]): Promise<void>;
  /**
   * A query for the hot paths: `build` runs once with `bind` standing for the values, and SQLite keeps
   * the compiled statement, which saves building and compiling it on every call (most of a small
   * write's CPU). On D1, where the network round trip dominates, it is rebuilt with the values.
   */
  prepare<V extends Record<string, unknown>>(build: (db: Db, bind: Bind<V>) => WriteQuery): PreparedQuery<V>;
  close(): Promise<void>;
}

/** Bound values one statement may carry: Cloudflare D1's limit, far below SQLite's own. Lists and
 * multi-row inserts are split to stay within it on every runtime. */
export const MAX_BOUND_PARAMETERS = 100;

/** Values of one `inArray`/`notInArray` list, leaving room for the statement's other conditions. */
export const MAX_LIST_VALUES = 90;

/** Rows one multi-row INSERT into `table` may carry: every column may bind a value. */
export function rowsPerInsert(table: SQLiteTable): number {
  return Math.max(1, Math.floor(MAX_BOUND_PARAMETERS / Object.keys(getTableColumns(table)).length));
}
