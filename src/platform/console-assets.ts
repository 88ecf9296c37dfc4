import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleAsset, ConsoleAssets } from '../console/router.ts';

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', html: 'text/html; charset=utf-8' };

function asset(path: string): ConsoleAsset {
  return { body: readFileSync(path, 'utf8'), contentType: TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream' };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/** The console's files, read once at start: src/console/public plus uPlot from node_modules as vendor/. */
export function loadConsoleAssets(): ConsoleAssets {
  const root = join(dirname(fileURLToPath(import.meta.url)), '../console/public');
  const files = new Map<string, ConsoleAsset>();
  for (const path of walk(root)) files.set(relative(root, path).split('\\').join('/'), asset(path));
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
  files.set('vendor/uPlot.iife.min.js', asset(join(uplot, 'dist/uPlot.iife.min.js')));
  files.set('vendor/uPlot.min.css', asset(join(uplot, 'dist/uPlot.min.css')));
  return (name) => files.get(name);
}
