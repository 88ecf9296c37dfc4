import pg from 'pg';
import { drizzle as sqliteProxy } from 'drizzle-orm/sqlite-proxy';
import { drizzle as nodePostgres } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { fillPlaceholders, sql, type Query } from 'drizzle-orm';
import { resolve } from 'node:path';
import * as sqliteTables from '../../store/schema/index.ts';
import { WriteConflictError, type Database, type Db, type WriteStatement } from '../../store/db.ts';
import { toPostgres } from './translate.ts';
import { UnavailableError } from '../../lib/unavailable.ts';

const MIGRATIONS = resolve(import.meta.dirname, '../../../migrations-pg');
/** Any constant: the advisory lock that lets one process at a time apply migrations. */
const MIGRATION_LOCK = 7_318_004_518;

// bigint (int8) and numeric (sum, json_extract) come back as JS numbers, as SQLite's integers do.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => (v === null ? null : Number(v));
    return pg.types.getTypeParser(oid, format);
  },
};

/** What the PostgreSQL store adds to the port: `ready` settles once migrations have run. */
export interface PostgresDatabase extends Database {
  ready: Promise<void>;
  pool: pg.Pool;
}

/**
 * The `Database` port on PostgreSQL. The code's queries are built with drizzle's SQLite dialect
 * (one schema, one query path for every runtime); drizzle's sqlite-proxy driver hands each one here
 * as (sql, params, method), and it runs on a pool after `toPostgres`. An atomic write is one
 * transaction on one connection; each `expectChanges` is checked against the statement's row count,
 * and a miss rolls everything back. Under READ COMMITTED the per-cluster revision compare-and-swap
 * (the first statement of every commit) holds across processes: a concurrent UPDATE of the same
 * cluster row waits for the first to commit and then re-checks its WHERE, so it changes 0 rows.
 */
export function openPostgres(databaseUrl: string, opts: { migrate?: boolean; maxConnections?: number } = {}): PostgresDatabase {
  const { url, schema } = splitSchema(databaseUrl);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.maxConnections ?? 10,
    types,
    ...(schema ? { options: `-c search_path=${quoteIdent(schema)}` } : {}),
  });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const ready = ensureDatabase(url).then(() => (opts.migrate === false ? undefined : migrateLocked(pool, schema)));
  ready.catch(() => undefined);

  const translated = new Map<string, string>();
  const text = (sqliteSql: string) => {
    let t = translated.get(sqliteSql);
    if (t === undefined) {
      t = toPostgres(sqliteSql);
      if (translated.size > 5000) translated.clear();
      translated.set(sqliteSql, t);
    }
    return t;
  };

  const db = sqliteProxy(
    async (sqliteSql, params, method) => {
      await ready.catch(unavailable);
      const arrayMode = method === 'all' || method === 'get' || method === 'values';
      const query = { text: text(sqliteSql), values: params, ...(arrayMode ? { rowMode: 'array' as const } : {}) };
      const res = await (pool.query(query as pg.QueryArrayConfig) as Promise<pg.QueryArrayResult>).catch(unavailable);
      if (method === 'get') return { rows: res.rows[0] };
      if (method === 'run') return { rows: [], changes: res.rowCount ?? 0 } as never;
      return { rows: res.rows };
    },
    { schema: sqliteTables },
  );

  return {
    db: db as unknown as Db,
    pool,
    ready,
    async atomicWrite(statements) {
      if (statements.length === 0) return;
      await ready.catch(unavailable);
      const client = await pool.connect().catch(unavailable);
      try {
        await client.query('BEGIN');
        for (const s of statements) {
          const q = queryOf(s);
          // A prepared write has a name: each connection parses and plans it once.
          const res = await client.query({ name: s.query.statementName, text: text(q.sql), values: q.params as unknown[] });
          if (s.expectChanges !== undefined && res.rowCount !== s.expectChanges) throw new WriteConflictError();
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (isConflict(err)) throw new WriteConflictError();
        unavailable(err);
      } finally {
        client.release();
      }
    },
    prepare(build) {
      const builder = build(db as unknown as Db, (name) => sql.placeholder(name));
      const prepared = builder.prepare();
      const base: Query = builder.toSQL();
      const statementName = `kates_${++preparedCount}`;
      return {
        get: async (values) => prepared.get(values),
        all: async (values) => prepared.all(values),
        write: (values, expectChanges) => ({
          query: { statementName, toSQL: () => ({ sql: base.sql, params: fillPlaceholders(base.params, values) }) },
          expectChanges,
        }),
      };
    },
    async close() {
      await ready.catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}

let preparedCount = 0;

function queryOf(s: WriteStatement): Query {
  if (typeof s.query?.toSQL !== 'function') throw new Error('atomicWrite takes query builders (or prepared writes)');
  return s.query.toSQL();
}

/** Serialization failures and deadlocks lose a race like a failed compare-and-swap: the caller retries. */
function isConflict(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === '40001' || code === '40P01';
}

/** Connection failures and a server shutting down or full: requests answer 503 and Retry-After. */
function unavailable(err: unknown): never {
  const code = String((err as { code?: unknown } | undefined)?.code ?? '');
  if (/^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EPIPE|08...|57P0[123]|53300)$/.test(code) || /Connection terminated/.test(String(err))) {
    throw new UnavailableError('database', `the database is unavailable (${code || 'connection lost'})`);
  }
  throw err;
}

/** Creates the database named in `url` when the server does not have it yet (a first start). */
async function ensureDatabase(url: string): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: target.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (err) {
    // Another process created it first: 42P04 once it exists, 23505 when both ran CREATE at once.
    const code = (err as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw err;
  } finally {
    await admin.end();
  }
}

/**
 * `?schema=name` on DATABASE_URL keeps kates' tables (and its migration log) in that schema, so
 * several deployments, or test runs, can share one database; without it they go to `public`.
 */
function splitSchema(databaseUrl: string): { url: string; schema?: string } {
  const u = new URL(databaseUrl);
  const schema = u.searchParams.get('schema') ?? undefined;
  u.searchParams.delete('schema');
  return { url: u.toString(), schema };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function migrateLocked(pool: pg.Pool, schema: string | undefined): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      await migrate(nodePostgres(client), { migrationsFolder: MIGRATIONS, ...(schema ? { migrationsSchema: schema } : {}) });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
