import { test } from 'node:test';
import assert from 'node:assert/strict';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import * as sqliteSchema from '../../../src/store/schema/index.ts';
import { openPostgres } from '../../../src/platform/postgres/open.ts';
import { testDatabaseUrl } from '../../helpers/database.ts';

/**
 * The PostgreSQL migrations (migrations-pg/, generated from src/store/schema-pg.ts) applied to a real
 * server must give every table, column, nullability, default, primary key and index of the SQLite
 * schema: a SQLite change without `npm run db:generate:pg` fails here.
 */
const PG_TYPE: Record<string, string> = { SQLiteText: 'text', SQLiteInteger: 'bigint', SQLiteBoolean: 'bigint', SQLiteReal: 'double precision' };

function expected() {
  const tables = Object.values(sqliteSchema)
    .filter((t) => is(t, SQLiteTable))
    .map((t) => getTableConfig(t as SQLiteTable));
  const columns: string[] = [];
  const indexes: string[] = [];
  for (const t of tables) {
    for (const c of t.columns) {
      const dflt =
        c.hasDefault && c.default !== undefined
          ? String(typeof c.default === 'boolean' ? Number(c.default) : c.default)
          : (c as SQLiteColumn & { autoIncrement?: boolean }).autoIncrement
            ? 'serial'
            : '';
      columns.push(`${t.name}.${c.name} ${PG_TYPE[c.columnType]} ${c.notNull || c.primary ? 'not null' : 'null'} default=${dflt}`);
      if (c.primary) indexes.push(`${t.name} primary (${c.name})`);
      if (c.isUnique) indexes.push(`${t.name} unique (${c.name})`);
    }
    for (const pk of t.primaryKeys) indexes.push(`${t.name} primary (${pk.columns.map((c) => c.name).join(',')})`);
    for (const i of t.indexes)
      indexes.push(`${t.name} ${i.config.unique ? 'unique' : 'index'} ${i.config.name} (${i.config.columns.map((c) => (c as SQLiteColumn).name).join(',')})`);
  }
  return { columns: columns.sort(), indexes: indexes.sort() };
}

const server = process.env.KATES_TEST_POSTGRES_URL;

test('the PostgreSQL migrations give exactly the SQLite schema', { skip: server ? false : 'runs on PostgreSQL (npm test -- --postgres)' }, async () => {
  const database = openPostgres(testDatabaseUrl(server));
  try {
    await database.ready;
    const cols = await database.pool.query(`
      select table_name, column_name, data_type, is_nullable, column_default, collation_name from information_schema.columns
      where table_schema = current_schema() and table_name <> '__drizzle_migrations' order by 1, 2`);
    const columns = cols.rows.map((r) => {
      const dflt =
        r.column_default === null ? '' : String(r.column_default).startsWith('nextval(') ? 'serial' : String(r.column_default).replace(/^'(.*)'::text$/, '$1');
      if (r.data_type === 'text') assert.equal(r.collation_name, 'C', `${r.table_name}.${r.column_name} compares bytes, as SQLite does`);
      return `${r.table_name}.${r.column_name} ${r.data_type} ${r.is_nullable === 'YES' ? 'null' : 'not null'} default=${dflt}`;
    });
    const idx = await database.pool.query(`
      select t.relname as table, i.relname as name, ix.indisprimary as primary, ix.indisunique as unique,
             array_to_string(array(select a.attname from unnest(ix.indkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = t.oid and a.attnum = k.n order by k.o), ',') as columns,
             exists (select 1 from pg_constraint c where c.conindid = ix.indexrelid and c.contype = 'u') as constraint_unique
      from pg_index ix join pg_class t on t.oid = ix.indrelid join pg_class i on i.oid = ix.indexrelid join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = current_schema() and t.relname <> '__drizzle_migrations'`);
    const indexes = idx.rows.map((r) =>
      r.primary
        ? `${r.table} primary (${r.columns})`
        : r.constraint_unique
          ? `${r.table} unique (${r.columns})`
          : `${r.table} ${r.unique ? 'unique' : 'index'} ${r.name} (${r.columns})`,
    );
    const want = expected();
    assert.deepEqual(columns.sort(), want.columns);
    assert.deepEqual(indexes.sort(), want.indexes);
  } finally {
    await database.close();
  }
});
