import { openSqlite } from '../../src/platform/sqlite.ts';
import { openPostgres } from '../../src/platform/postgres/open.ts';
import { randomString } from '../../src/lib/ids.ts';
import type { Database } from '../../src/store/db.ts';

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

/** What the service's environment needs to run on the test run's store: DATABASE_URL on PostgreSQL, nothing on SQLite. */
export function testDatabaseEnv(): Record<string, string> {
  return process.env.KATES_TEST_POSTGRES_URL ? { DATABASE_URL: testDatabaseUrl() } : {};
}
