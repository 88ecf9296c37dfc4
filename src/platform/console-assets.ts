import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleAsset, ConsoleAssets } from '../console/router.ts';
import { VENDOR_DIRS, VENDOR_FILES } from '../console/vendor.ts';

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', html: 'text/html; charset=utf-8' };

function asset(path: string): ConsoleAsset {
  return { body: readFileSync(path, 'utf8'), contentType: TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream' };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/** The console's files, read once at start: src/console/public plus the browser libraries of src/console/vendor.ts from node_modules as vendor/. */
export function loadConsoleAssets(): ConsoleAssets {
  const root = join(dirname(fileURLToPath(import.meta.url)), '../console/public');
  const files = new Map<string, ConsoleAsset>();
  for (const path of walk(root)) files.set(relative(root, path).split('\\').join('/'), asset(path));
  const require = createRequire(import.meta.url);
  for (const v of VENDOR_FILES) files.set(v.as, asset(join(dirname(require.resolve(`${v.pkg}/package.json`)), v.file)));
  for (const v of VENDOR_DIRS) {
    const dir = join(dirname(require.resolve(`${v.pkg}/package.json`)), v.dir);
    for (const path of walk(dir)) if (path.endsWith('.js')) files.set(`${v.as}/${relative(dir, path).split('\\').join('/')}`, asset(path));
  }
  return (name) => files.get(name);
}
