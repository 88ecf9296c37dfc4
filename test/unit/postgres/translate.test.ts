import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toPostgres } from '../../../src/platform/postgres/translate.ts';

test('placeholders are numbered in order, and a ? inside a literal or identifier stays', () => {
  assert.equal(toPostgres(`select "a?" from t where x = ? and y = '?' and z in (?, ?)`), `select "a?" from t where x = $1 and y = '?' and z in ($2, $3)`);
  assert.equal(toPostgres(`select 'it''s ?' where a = ?`), `select 'it''s ?' where a = $1`);
});

test('two-argument max/min become greatest/least; the one-argument aggregates stay', () => {
  assert.equal(toPostgres('select max("t"."a"), min(b) from t'), 'select max("t"."a"), min(b) from t');
  assert.equal(toPostgres('set count = max("count" - 1, "min_count")'), 'set count = greatest("count" - 1, "min_count")');
  assert.equal(
    toPostgres('CAST((min(?, s + ?) + 1) / 2 AS INTEGER) - max(coalesce(a, 0), f(b, c))'),
    'CAST((least($1, s + $2) + 1) / 2 AS BIGINT) - greatest(coalesce(a, 0), f(b, c))',
  );
  assert.equal(toPostgres('select max(f(a, b)) from t'), 'select max(f(a, b)) from t', 'a comma inside a nested call keeps the aggregate');
  assert.equal(toPostgres('select "max"(a, b), x_max(a, b)'), 'select "max"(a, b), x_max(a, b)');
});

test('an upsert names its conflict columns bare', () => {
  assert.equal(
    toPostgres('insert into "t" ("a", "b") values (?, ?) on conflict ("t"."a", "t"."b") do update set "b" = excluded.b'),
    'insert into "t" ("a", "b") values ($1, $2) on conflict ("a", "b") do update set "b" = excluded.b',
  );
});
