import { openSqlite } from '../../src/platform/sqlite.ts';
import { openPostgres } from '../../src/platform/postgres/open.ts';
import { randomString } from '../../src/lib/ids.ts';
import type { Database } from '../../src/store/db.ts';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/**
 * The store a test runs on: an in-memory SQLite database, or, when the run is on PostgreSQL
 * (`npm test -- --postgres` sets KATES_TEST_POSTGRES_URL to a server), a new database of its own on
 * that server, created and migrated on first use.
 */
export function openTestDatabase(): Database {
  const server = process.env.KATES_TEST_POSTGRES_URL;
  return server ? openPostgres(testDatabaseUrl(server), { maxConnections: 4 }) : openSqlite(':memory:');
}

/** A new database's URL on the run's PostgreSQL server (created by the first process that opens it). */
export function testDatabaseUrl(server = process.env.KATES_TEST_POSTGRES_URL!): string {
  return `${server.replace(/\/$/, '')}/t_${randomString(12).toLowerCase()}`;
}

/**
 * What a service's environment needs to run on the test run's store: nothing on SQLite (the file is in
 * DATA_DIR), on PostgreSQL a DATABASE_URL named after the data directory, so every process a test
 * starts on one DATA_DIR (API, workers, a restart) shares one database, as they share the file.
 */
export function testDatabaseEnv(dataDir: string | undefined): Record<string, string> {
  const server = process.env.KATES_TEST_POSTGRES_URL;
  if (!server || !dataDir) return {};
  const name = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 20);
  return { DATABASE_URL: `${server.replace(/\/$/, '')}/d_${name}` };
}
