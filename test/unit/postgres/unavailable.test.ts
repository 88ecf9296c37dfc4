import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { openPostgres } from '../../../src/platform/postgres/open.ts';
import { asUnavailable } from '../../../src/lib/unavailable.ts';
import { clusters } from '../../../src/store/schema/index.ts';

test('a PostgreSQL that cannot be reached makes reads and writes fail as unavailable (503), not as bugs (500)', async () => {
  // A port that was free a moment ago: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const database = openPostgres(`postgres://kates@127.0.0.1:${port}/kates`);
  // drizzle wraps a read's error; the service looks through causes (asUnavailable) as for SQLite's codes.
  const unavailable = (err: unknown) => asUnavailable(err)?.dependency === 'database';
  await assert.rejects(async () => database.db.select().from(clusters).all(), unavailable);
  await assert.rejects(database.atomicWrite([{ query: database.db.delete(clusters) }]), unavailable);
  await database.close();
});
