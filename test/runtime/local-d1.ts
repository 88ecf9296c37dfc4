import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import type { D1Database, D1PreparedStatement, D1Result } from '../../src/platform/workers/bindings.ts';
import { openD1 } from '../../src/platform/workers/d1.ts';

const MIGRATIONS = join(import.meta.dirname, '../../migrations');

/**
 * A worker that runs D1 calls sent as JSON. Tests reach the database through it with ordinary async
 * requests: Miniflare's own binding proxy makes a synchronous cross-thread call for every `prepare`,
 * which fails now and then on a loaded machine.
 */
const RELAY = `
export default {
  async fetch(request, env) {
    const { op, sql, params, statements } = await request.json();
    try {
      let out;
      if (op === 'batch') out = await env.DB.batch(statements.map((s) => env.DB.prepare(s.sql).bind(...s.params)));
      else {
        const stmt = env.DB.prepare(sql).bind(...params);
        out = op === 'first' ? await stmt.first() : op === 'raw' ? await stmt.raw() : op === 'run' ? await stmt.run() : await stmt.all();
      }
      return Response.json({ ok: true, out });
    } catch (e) {
      return Response.json({ ok: false, error: String(e && e.message), cause: e && e.cause ? String(e.cause.message ?? e.cause) : undefined });
    }
  },
};`;

/** The D1Database interface on the Node side of the relay. */
function relayedD1(mf: Miniflare): D1Database {
  const call = async (body: object) => {
    const res = await mf.dispatchFetch('http://d1.local/', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const reply = (await res.json()) as { ok: boolean; out?: unknown; error?: string; cause?: string };
    if (!reply.ok) throw new Error(reply.error, reply.cause ? { cause: new Error(reply.cause) } : undefined);
    return reply.out;
  };
  const statement = (sql: string, params: unknown[] = []): D1PreparedStatement & { sql: string; params: unknown[] } => ({
    sql,
    params,
    bind: (...values: unknown[]) => statement(sql, values),
    first: async () => (await call({ op: 'first', sql, params })) as never,
    run: async () => (await call({ op: 'run', sql, params })) as never,
    all: async () => (await call({ op: 'all', sql, params })) as never,
    raw: async () => (await call({ op: 'raw', sql, params })) as never,
  });
  return {
    prepare: (sql) => statement(sql),
    batch: async (statements) =>
      (await call({
        op: 'batch',
        statements: statements.map((s) => ({ sql: (s as unknown as { sql: string }).sql, params: (s as unknown as { params: unknown[] }).params })),
      })) as D1Result<never>[],
    exec: async (sql) => (await call({ op: 'run', sql, params: [] })) as never,
  };
}

/**
 * A real D1 database in workerd (Miniflare, the engine under `wrangler dev`) with every migration
 * applied in order, as `wrangler d1 migrations apply` does; driven from Node through a relay worker.
 */
export async function startLocalD1() {
  const mf = new Miniflare({ modules: true, script: RELAY, d1Databases: ['DB'] });
  const binding = relayedD1(mf);
  for (const file of readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    for (const statement of readFileSync(join(MIGRATIONS, file), 'utf8').split('--> statement-breakpoint')) {
      if (statement.trim()) await binding.prepare(statement).run();
    }
  }
  return { binding, database: openD1(binding), dispose: () => mf.dispose() };
}
