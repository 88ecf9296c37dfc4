import { drizzle } from 'drizzle-orm/d1';
import { sql } from 'drizzle-orm';
import * as schema from '../../store/schema/index.ts';
import { MAX_BOUND_PARAMETERS, WriteConflictError, type Database, type Db, type WriteStatement } from '../../store/db.ts';
import type { D1Database, D1PreparedStatement } from './bindings.ts';

/** The drizzle D1 database with its `batch`, which the `Db` port type does not expose. */
export interface D1Drizzle {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  batch(queries: any[]): Promise<any[]>;
}

/**
 * The `Database` port on Cloudflare D1. D1 has no interactive transactions, only `batch()`, which
 * runs its statements in one implicit transaction and rolls all of them back when one fails. An
 * `expectChanges` check therefore cannot be made after the fact: it becomes a guard statement placed
 * right after the write it checks, which fails (and so aborts the batch) unless `changes()` — the
 * rows changed by the statement just before it — is the expected count.
 */
export function openD1(binding: D1Database): Database & { d1: D1Drizzle } {
  const db = drizzle(withParameterLimit(binding) as never, { schema });
  return {
    db: db as unknown as Db,
    d1: db as unknown as D1Drizzle,
    async atomicWrite(statements) {
      if (statements.length === 0) return;
      try {
        await db.batch(withGuards(db as unknown as Db, statements) as never);
      } catch (err) {
        if (isGuardFailure(err)) throw new WriteConflictError();
        throw err;
      }
    },
    prepare(build) {
      // Rebuilt with the values each time: D1 batches take builders, and a query costs a round trip anyway.
      const withValues = (values: Record<string, unknown>) => build(db as unknown as Db, (name) => values[name]);
      return {
        get: async (values) => withValues(values).get(),
        all: async (values) => withValues(values).all(),
        write: (values, expectChanges) => ({ query: withValues(values), expectChanges }),
      };
    },
    async close() {
      // A binding has nothing to close.
    },
  };
}

/** The statement list with one guard after each write that carries an expectation. */
export function withGuards(db: Db, statements: WriteStatement[]): unknown[] {
  const out: unknown[] = [];
  for (const s of statements) {
    out.push(s.query);
    if (s.expectChanges !== undefined) out.push(guardStatement(db, s.expectChanges));
  }
  return out;
}

/** Inserts a NULL into a NOT NULL column, hence fails, exactly when the previous write changed another number of rows. */
export function guardStatement(db: Db, expected: number) {
  if (!Number.isInteger(expected) || expected < 0) throw new Error(`expectChanges must be a non-negative integer, got ${expected}`);
  // Inlined rather than bound: drizzle's D1 batch only binds parameters of builder queries, not of raw SQL.
  return db.run(sql.raw(`INSERT INTO write_guards (write_conflict) SELECT NULL WHERE changes() <> ${expected}`));
}

/** D1 reports the constraint by name ("NOT NULL constraint failed: write_guards.write_conflict"), possibly wrapped. */
export function isGuardFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const message = e instanceof Error ? e.message : String(e);
    if (message.includes('write_guards.write_conflict')) return true;
    e = e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;
  }
  return false;
}

/** D1 refuses a statement with more than 100 bound values (SQLite's own limit is far higher). */
export const D1_MAX_BOUND_PARAMETERS = MAX_BOUND_PARAMETERS;

export class TooManyParametersError extends Error {
  constructor(
    readonly count: number,
    sqlText: string,
  ) {
    super(`D1 allows ${D1_MAX_BOUND_PARAMETERS} bound values per statement; this one has ${count}: ${sqlText.slice(0, 160)}`);
    this.name = 'TooManyParametersError';
  }
}

/**
 * The binding with D1's parameter limit checked before sending, with the statement named: local D1
 * (wrangler dev, tests) does not enforce it, so code that would fail only in production fails here.
 */
export function withParameterLimit(binding: D1Database): D1Database {
  return {
    prepare(query) {
      const stmt = binding.prepare(query);
      // Bound statements are the binding's own, so batch() receives what it expects.
      return {
        bind(...values: unknown[]) {
          if (values.length > D1_MAX_BOUND_PARAMETERS) throw new TooManyParametersError(values.length, query);
          return stmt.bind(...values);
        },
        first: (column?: string) => stmt.first(column),
        run: () => stmt.run(),
        all: () => stmt.all(),
        raw: () => stmt.raw(),
      } as D1PreparedStatement;
    },
    batch: (statements) => binding.batch(statements),
    exec: (query) => binding.exec(query),
  };
}
