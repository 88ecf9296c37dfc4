import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from '../store/schema/index.ts';
import { directPrepared } from './sqlite-prepared.ts';
import { WriteConflictError, type Database, type Db, type WriteStatement } from '../store/db.ts';

const MIGRATIONS = resolve(import.meta.dirname, '../../migrations');

/** Opens (creating if needed) the SQLite file in WAL mode and applies pending migrations. */
export function openSqlite(path: string, opts: { migrate?: boolean } = {}): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema });
  if (opts.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS });

  // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read lock.
  const runAll = sqlite.transaction((statements: WriteStatement[]) => {
    for (const s of statements) {
      const result = s.query.run() as { changes: number };
      if (s.expectChanges !== undefined && result.changes !== s.expectChanges) throw new WriteConflictError();
    }
  });

  return {
    db: db as unknown as Db,
    async atomicWrite(statements) {
      if (statements.length === 0) return;
      runAll.immediate(statements);
    },
    prepare(build) {
      const query = build(db as unknown as Db, (name) => sql.placeholder(name)).prepare();
      const direct = directPrepared<Parameters<typeof query.run>[0] & Record<string, unknown>>(sqlite, query);
      if (direct) return direct;
      return {
        get: async (values) => query.get(values),
        all: async (values) => query.all(values),
        write: (values, expectChanges) => ({ query: { run: () => query.run(values) }, expectChanges }),
      };
    },
    async close() {
      if (sqlite.open) sqlite.close();
    },
  };
}
