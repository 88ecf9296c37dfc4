import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { startLocalRedis } from '../src/platform/redis.ts';
import { ensureTestPackages } from './test-deps.ts';
import { startLocalPostgres } from './local-postgres.ts';

/**
 * `npm test`: installs the Debian packages its tests drive when missing (scripts/test-deps.ts), starts
 * one private redis-server for the run (unless REDIS_URL is set), runs every
 * `*.test.ts` under test/ with node's test runner (each file gets its own temp SQLite and queue
 * prefix), prints each file's duration (slowest first) and a closing `N passed, N failed` line.
 * Pass file paths (or folders) to run a subset. `--postgres` runs them on PostgreSQL instead (a
 * throwaway server, or KATES_TEST_POSTGRES_URL): each test's database is a new one on that server
 * (test/helpers/database.ts).
 */
function findTests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return findTests(p);
    return name.endsWith('.test.ts') ? [p] : [];
  });
}

const root = join(import.meta.dirname, '..');
const postgres = process.argv.includes('--postgres');
const args = process.argv.slice(2).filter((a) => a !== '--postgres');
// A folder stands for every test file under it.
const expand = (a: string) =>
  statSync(join(root, a), { throwIfNoEntry: false })?.isDirectory() ? findTests(join(root, a)).map((f) => relative(root, f)) : [a];
const files = (args.length ? args.flatMap(expand) : findTests(join(root, 'test')).map((f) => relative(root, f))).sort();
const missing = files.filter((f) => !statSync(resolve(root, f), { throwIfNoEntry: false }));
if (missing.length) {
  console.error(`no such test file: ${missing.join(', ')}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
ensureTestPackages(files.map((f) => relative(root, resolve(root, f))));
const redisDir = mkdtempSync(join(tmpdir(), 'kates-redis-'));
const redis = process.env.REDIS_URL ? undefined : await startLocalRedis(redisDir);
const pgDir = postgres && !process.env.KATES_TEST_POSTGRES_URL ? mkdtempSync(join(tmpdir(), 'kates-pg-')) : undefined;
const pgServer = pgDir ? await startLocalPostgres(pgDir) : undefined;
const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: process.env.REDIS_URL ?? redis!.url, NODE_ENV: 'test' };
if (postgres) env.KATES_TEST_POSTGRES_URL = process.env.KATES_TEST_POSTGRES_URL ?? pgServer!.url;
else delete env.KATES_TEST_POSTGRES_URL;

// Results of this run only: a folder per run, so a stale or a concurrent run's files are never read.
mkdirSync(join(root, 'test-results'), { recursive: true });
const resultsDir = mkdtempSync(join(root, 'test-results', 'run-'));
const tapFile = join(resultsDir, 'results.tap');
const durationsFile = join(resultsDir, 'file-durations.tsv');
let passed = 0;
let failed = 0;
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    '--test-reporter=./scripts/file-durations.mjs',
    `--test-reporter-destination=${durationsFile}`,
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
    '--test-timeout=180000',
    ...files,
  ],
  {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
try {
  const tap = readFileSync(tapFile, 'utf8');
  passed = Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
  failed = Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(tap)?.[1] ?? 0);
  // A file that fails outside its tests (e.g. an unhandled rejection after them) says why only in a
  // diagnostic far up the output: repeat those next to the summary.
  const diagnostics = tap.split('\n').filter((l) => /^# (Error|Warning):/.test(l));
  if (failed && diagnostics.length) console.log(['', 'diagnostics:', ...diagnostics.slice(0, 20)].join('\n'));
} catch {
  failed = failed || 1;
}
try {
  const rows = readFileSync(durationsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
  rows.sort((a, b) => Number(b[0]) - Number(a[0]));
  if (rows.length)
    console.log(
      ['', 'per-file durations, slowest first:', ...rows.map(([ms, file]) => `${(Number(ms) / 1000).toFixed(1).padStart(7)} s  ${relative(root, file)}`)].join(
        '\n',
      ),
    );
} catch {
  /* no durations: the runner did not start */
}
// The runner itself failed (a file it could not load, a crash): never report that as a pass.
if (code !== 0 && failed === 0) failed = 1;
rmSync(resultsDir, { recursive: true, force: true });
await redis?.stop();
rmSync(redisDir, { recursive: true, force: true });
await pgServer?.stop();
if (pgDir) rmSync(pgDir, { recursive: true, force: true });
console.log(`${postgres ? 'postgres: ' : ''}${passed} passed, ${failed} failed`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
