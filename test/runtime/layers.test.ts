import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * Imports between the parts of `src/` run one way: a part may import its own layer or a lower one,
 * never a higher one. The order was read off the imports: plain helpers, the object model, the
 * providers' catalog (instance types, regions, list prices: data that billing prices and the cluster
 * model sizes nodes with), the store, the cluster model (pools, their nodes, surge settings, plans,
 * operation progress: what the services, controllers and autoscalers share), auth, the Kubernetes API machinery, the controller framework, the simulated world (each
 * a peer of the others), the controller catalogue, the tenant-facing services, the /v1 API and the
 * console, and the composition roots. A part is a folder of `src/` or, where one file plays a
 * different role than its folder, that file; the longest match wins.
 */
const LAYERS: string[][] = [
  // The environment's settings: parsed with zod alone, read by every layer's wiring.
  ['lib', 'config.ts'],
  ['kube/types.ts'],
  ['billing/catalog.ts', 'billing/catalog', 'billing/money.ts'],
  ['store'],
  ['clusters'],
  ['auth'],
  ['kube', 'rbac'],
  ['controllers', 'queue'],
  ['scheduler', 'kubelet', 'network', 'storage', 'autoscaling', 'metrics', 'traffic', 'monitoring', 'billing'],
  ['controllers/registry.ts', 'controllers/scheduler.ts'],
  ['services'],
  // The deps type names what the /v1 app's context carries, so it sits with the app, not the roots.
  ['api', 'deps.ts'],
  ['console'],
  ['(root)', 'platform'],
];

/**
 * Imports against the order that are still there, each with why; the list may only shrink: an
 * entry that no longer occurs fails the test, so whoever removes the import removes the entry.
 */
const KNOWN_EXCEPTIONS: Record<string, string> = {};

const root = join(import.meta.dirname, '../..');
const src = join(root, 'src');
const rankOf = new Map(LAYERS.flatMap((parts, rank) => parts.map((p) => [p, rank] as const)));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

/** The part a file of src/ belongs to: the longest listed path that contains it. */
export function partOf(file: string): string | undefined {
  const rel = relative(src, file).split(sep).join('/');
  let best: string | undefined;
  for (const part of rankOf.keys()) {
    if ((rel === part || rel.startsWith(`${part}/`)) && (!best || part.length > best.length)) best = part;
  }
  // A file at the top of src/ is a composition root unless it is placed by name.
  return best ?? (rel.includes('/') ? undefined : '(root)');
}

/** Relative import specifiers of a source text (comments ignored), type-only ones included. */
export function relativeImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  return [
    ...code.matchAll(/\bfrom\s+['"](\.[^'"]+)['"]/g),
    ...code.matchAll(/\bimport\s*\(\s*['"](\.[^'"]+)['"]\s*\)/g),
    ...code.matchAll(/^\s*import\s+['"](\.[^'"]+)['"]/gm),
  ].map((m) => m[1]);
}

/** Every import of src/ against the order, as `from -> to` (paths from the repository root). */
function violations(): { found: string[]; unplaced: string[] } {
  const found: string[] = [];
  const unplaced = new Set<string>();
  for (const file of tsFiles(src)) {
    const from = partOf(file);
    if (from === undefined) unplaced.add(relative(root, file));
    for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
      const target = normalize(join(dirname(file), spec));
      if (!target.startsWith(src + sep)) continue;
      const to = partOf(target);
      if (from === undefined || to === undefined) continue;
      if (rankOf.get(to)! > rankOf.get(from)!) found.push(`${relative(root, file).split(sep).join('/')} -> ${relative(root, target).split(sep).join('/')}`);
    }
  }
  return { found: [...new Set(found)].sort(), unplaced: [...unplaced].sort() };
}

test('the layer map places files as intended', () => {
  assert.equal(partOf(join(src, 'kube/types.ts')), 'kube/types.ts');
  assert.equal(partOf(join(src, 'kube/handlers/dispatch.ts')), 'kube');
  assert.equal(partOf(join(src, 'controllers/registry.ts')), 'controllers/registry.ts');
  assert.equal(partOf(join(src, 'controllers/shared/pass.ts')), 'controllers');
  assert.equal(partOf(join(src, 'app.ts')), '(root)');
  assert.equal(partOf(join(src, 'deps.ts')), 'deps.ts');
  assert.deepEqual(
    relativeImports(
      `import type { A } from '../a.ts';\n// import { B } from '../b.ts';\nexport { C } from './c.ts';\nconst d = await import('../d.ts');\nimport 'zod';`,
    ),
    ['../a.ts', './c.ts', '../d.ts'],
  );
});

test('every file of src/ has a place in the layer order', () => {
  assert.deepEqual(violations().unplaced, [], 'add the new folder to LAYERS');
});

test('no import runs against the layer order, beyond the known exceptions', () => {
  const { found } = violations();
  const unexpected = found.filter((v) => !(v in KNOWN_EXCEPTIONS));
  assert.deepEqual(unexpected, [], `imports against the layer order (lower layers must not import higher ones):\n${unexpected.join('\n')}`);
});

test('every known exception still occurs (the list only shrinks)', () => {
  const found = new Set(violations().found);
  const gone = Object.keys(KNOWN_EXCEPTIONS).filter((k) => !found.has(k));
  assert.deepEqual(gone, [], `these imports are gone: remove them from KNOWN_EXCEPTIONS:\n${gone.join('\n')}`);
});
