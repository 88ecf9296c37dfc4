import { test } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asUnavailable, UnavailableError } from '../../src/lib/unavailable.ts';
import { toApiError } from '../../src/api/errors.ts';

test('outages of Redis or the database are told apart from bad statements', () => {
  assert.equal(asUnavailable(new UnavailableError('redis', 'Redis is unavailable'))?.dependency, 'redis');
  assert.equal(asUnavailable(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))?.dependency, 'database');
  assert.equal(asUnavailable(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }))?.dependency, 'database');
  // D1 puts the SQLite code in the message; drizzle wraps the driver's error as `cause`.
  assert.equal(asUnavailable(new Error('D1_ERROR: database is locked: SQLITE_BUSY'))?.dependency, 'database');
  assert.equal(asUnavailable(new Error('Failed query', { cause: Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }) }))?.dependency, 'database');
  assert.equal(asUnavailable(Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })), undefined);
  assert.equal(asUnavailable(new Error('boom')), undefined);
});

test('a locked SQLite database (another process holds the write lock) answers 503 UNAVAILABLE with Retry-After', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kates-locked-'));
  try {
    const holder = new BetterSqlite3(join(dir, 'db.sqlite'));
    holder.exec('create table t (x)');
    holder.exec('begin exclusive');
    const writer = new BetterSqlite3(join(dir, 'db.sqlite'), { timeout: 0 });
    let caught: unknown;
    try {
      writer.exec('insert into t values (1)');
    } catch (err) {
      caught = err;
    }
    const api = toApiError(caught);
    assert.equal(api.status, 503);
    assert.equal(api.code, 'UNAVAILABLE');
    assert.equal(api.headers['Retry-After'], '1');
    holder.exec('rollback');
    holder.close();
    writer.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
