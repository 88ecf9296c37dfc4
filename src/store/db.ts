import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
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

/**
 * The database port. Neither better-sqlite3 nor D1 allows `await` inside a transaction, so a
 * change is computed first (reads are free to await), then sent as one list of statements that
 * commit together or not at all.
 */
export interface Database {
  db: Db;
  atomicWrite(statements: WriteStatement[]): Promise<void>;
  close(): Promise<void>;
}
