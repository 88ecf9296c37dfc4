import { defineConfig } from 'drizzle-kit';

/** PostgreSQL migrations, generated from the schema derived from the SQLite one (src/store/schema-pg.ts). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema-pg.ts',
  out: './migrations-pg',
});
