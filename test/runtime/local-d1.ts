import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import type { D1Database } from '../../src/platform/workers/bindings.ts';
import { openD1 } from '../../src/platform/workers/d1.ts';

const MIGRATIONS = join(import.meta.dirname, '../../migrations');

/**
 * A real D1 database in workerd (Miniflare, the engine under `wrangler dev`) with every migration
 * applied in order, as `wrangler d1 migrations apply` does; driven from Node through its binding.
 */
export async function startLocalD1() {
  const mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }); } }', d1Databases: ['DB'] });
  const binding = (await mf.getD1Database('DB')) as unknown as D1Database;
  for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort()) {
    for (const statement of readFileSync(join(MIGRATIONS, file), 'utf8').split('--> statement-breakpoint')) {
      if (statement.trim()) await binding.prepare(statement).run();
    }
  }
  return { binding, database: openD1(binding), dispose: () => mf.dispose() };
}
