import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { openSqlite } from '../../src/platform/sqlite.ts';
import { openPostgres } from '../../src/platform/postgres/open.ts';
import { randomString } from '../../src/lib/ids.ts';
import type { Database } from '../../src/store/db.ts';

/**
 * The store a test runs on: an in-memory SQLite database, or, when the run is on PostgreSQL
 * (`npm test -- --postgres` sets KATES_TEST_POSTGRES_URL to a server), a schema of its own in the
 * run's `kates_test` database (a schema costs far less than a database), created and migrated on
 * first use.
 */
export function openTestDatabase(): Database {
  const server = process.env.KATES_TEST_POSTGRES_URL;
  return server ? openPostgres(testDatabaseUrl(server), { maxConnections: 4 }) : openSqlite(':memory:');
}

/** The URL of a new schema on the run's PostgreSQL server. */
export function testDatabaseUrl(server = process.env.KATES_TEST_POSTGRES_URL!, name = `t_${randomString(16)}`): string {
  return `${server.replace(/\/$/, '')}/kates_test?schema=${name}`;
}

/**
 * What a service's environment needs to run on the test run's store: nothing on SQLite (the file is in
 * DATA_DIR), on PostgreSQL a DATABASE_URL whose schema is named after the data directory, so every
 * process a test starts on one DATA_DIR (API, workers, a restart) shares it, as they share the file.
 */
export function testDatabaseEnv(dataDir: string | undefined): Record<string, string> {
  const server = process.env.KATES_TEST_POSTGRES_URL;
  if (!server || !dataDir) return {};
  return { DATABASE_URL: testDatabaseUrl(server, `d_${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 20)}`) };
}
