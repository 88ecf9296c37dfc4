import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * The core must run on Cloudflare Workers without `nodejs_compat`: only `src/platform/` (its Node
 * adapters) and `src/main.ts` may use Node. `src/platform/workers/` is Workers code, so it is held
 * to the same rule as the core.
 */
const root = join(import.meta.dirname, '../..');
const NODE_ONLY_PACKAGES = ['ioredis', 'bullmq', 'better-sqlite3', 'pino', 'selfsigned', '@hono/node-server', 'prom-client', 'ws'];
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

function isNodeOnly(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  const bare = specifier.split('/')[0];
  if (BUILTINS.has(specifier) || BUILTINS.has(bare)) return true;
  return NODE_ONLY_PACKAGES.some((p) => specifier === p || specifier.startsWith(`${p}/`));
}

/** Comments may name Node APIs (to explain why they are avoided); code may not. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Every reason a source text would not run on Workers as-is, one line each. */
export function nodeApiUses(source: string): string[] {
  const code = stripComments(source);
  const found: string[] = [];
  const specifiers = [
    ...code.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g),
    ...code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...code.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]);
  for (const s of specifiers) if (isNodeOnly(s)) found.push(`imports ${s}`);
  if (/(?<![\w.$])Buffer\b/.test(code)) found.push('uses Buffer');
  if (/(?<![\w.$])process\s*\.|(?<![\w.$])process\s*\[|globalThis\.process\b/.test(code)) found.push('uses process');
  if (/(?<![\w.$])__dirname\b|(?<![\w.$])__filename\b|import\.meta\.(dirname|filename)\b/.test(code)) found.push('uses a file path of the module');
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

/** Files that must stay Web-only: everything in src/ but the Node adapters and the Node entry. */
export function coreFiles(): string[] {
  return tsFiles(join(root, 'src'))
    .map((f) => relative(root, f).split(sep).join('/'))
    .filter((f) => f !== 'src/main.ts')
    .filter((f) => !f.startsWith('src/platform/') || f.startsWith('src/platform/workers/'));
}

test('the scanner catches each kind of Node-only use and ignores comments and look-alikes', () => {
  assert.deepEqual(nodeApiUses(`import { readFileSync } from 'node:fs';`), ['imports node:fs']);
  assert.deepEqual(nodeApiUses(`import path from 'path';`), ['imports path']);
  assert.deepEqual(nodeApiUses(`import type { Redis } from 'ioredis';`), ['imports ioredis']);
  assert.deepEqual(nodeApiUses(`const m = await import('node:crypto');`), ['imports node:crypto']);
  assert.deepEqual(nodeApiUses(`export { x } from 'bullmq';`), ['imports bullmq']);
  assert.deepEqual(nodeApiUses(`const b = Buffer.from('x');`), ['uses Buffer']);
  assert.deepEqual(nodeApiUses(`const e = process.env.X;`), ['uses process']);
  assert.deepEqual(nodeApiUses(`const d = import.meta.dirname;`), ['uses a file path of the module']);
  assert.deepEqual(nodeApiUses(`// Buffer and process.env are not used here\n/* node:fs */ const a = 1;`), []);
  assert.deepEqual(nodeApiUses(`const p = job.process.name; const q = myBuffer.length; import { z } from 'zod';`), []);
  assert.deepEqual(nodeApiUses(`const u = 'https://example.com/a'; const n = 1;`), []);
});

test('no file outside the Node adapters and the Node entry uses a Node-only API', () => {
  const files = coreFiles();
  assert.ok(files.includes('src/app.ts') && files.includes('src/worker-entry.ts'), 'the scan covers the core and the Workers entry');
  assert.ok(
    files.some((f) => f.startsWith('src/platform/workers/')),
    'the scan covers the Workers adapters',
  );
  assert.ok(!files.includes('src/platform/sqlite.ts') && !files.includes('src/main.ts'), 'the Node adapters are exempt');
  const offenders = files.flatMap((f) => nodeApiUses(readFileSync(join(root, f), 'utf8')).map((why) => `${f}: ${why}`));
  assert.deepEqual(offenders, [], `Node-only APIs outside src/platform/ (they would break the Workers build):\n${offenders.join('\n')}`);
});
