/**
 * What idle clusters cost on Workers: N clusters of 3 nodes with nothing deployed, created through the
 * API of the Worker under `wrangler dev` (scripts/dev-workers.ts: local D1 and Queues, the minute Cron
 * fired every 60 s), left to settle, then measured for a window:
 *
 * - queue messages delivered: the batch sizes miniflare's queue broker prints for every consumer
 *   invocation (`QUEUE kates-work 3/3`), retries included;
 * - D1 rows written: every row inserted, updated or deleted in any table of the local D1 database,
 *   counted by AFTER triggers this bench installs in the database file after the migrations and
 *   before the Worker starts (so the Worker's own statements fire them; nothing in the Worker is
 *   instrumented). `d1_migrations` and SQLite's internal tables are not counted.
 *
 * Beside it, the same figures for the periodic tick design (main at ed635d5) from a temporary git
 * worktree in the same run.
 *
 *   npx tsx bench/idle-clusters-workers.ts [--n 20,50] [--baseline-n 2,5] [--window 120] [--settle 300]
 *                                          [--baseline-ref ed635d5] [--no-baseline] [--label timers]
 *
 * Under wrangler dev, workerd leaves its loopback connections to wrangler in CLOSE-WAIT (thousands
 * over a busy run), and at the descriptor limit ("Too many open files") deliveries stall. The tick
 * design, which fans out every periodic controller of every cluster each second, gets there within
 * minutes at 20 clusters (creating 50 clusters at once sometimes does too), so the baseline's default
 * sizes are small (per-cluster figures compare) and the `workerd errors` column flags such a run.
 *
 * Target (the issue): 0 messages and 0 rows per idle cluster per minute beyond the minute Cron itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { baselineCheckout } from './baseline-checkout.ts';
import { argValue, formatTable, freePort, numberList as list, pool, sum } from './idle-kit.ts';

const SIZES = list('n', '20,50');
const BASELINE_SIZES = process.argv.includes('--no-baseline') ? [] : list('baseline-n', '2,5');
const WINDOW_S = Number(argValue('window') ?? 120);
const SETTLE_S = Number(argValue('settle') ?? 300);
/** At least a Cron minute passes before the clusters count as settled. */
const MIN_SETTLE_S = 70;
const BASELINE_REF = argValue('baseline-ref') ?? 'ed635d5';
const CANDIDATE = join(import.meta.dirname, '..');
const LABEL = argValue('label') ?? 'timers';
const CLUSTERS_PER_TENANT = 200;
const CREATE_TIMEOUT_MS = Number(argValue('create-timeout') ?? 20 * 60) * 1000;

interface Figures {
  design: string;
  n: number;
  running: number;
  createS: number;
  settleS: number;
  /** Everything since the Worker started (creation included): shows the counters count. */
  messagesTotal: number;
  rowsTotal: number;
  messagesPerMin: number;
  rowsPerMin: number;
  /** wrangler's [ERROR] lines since start: a run with any was not measuring a working Worker. */
  errors: number;
  /** The tables written most in the window, rows per minute. */
  topTables: string;
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** The local D1 database file wrangler keeps under its persist directory. */
function d1File(persist: string): string {
  const dir = join(persist, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.join(', ') || 'none'}`);
  return join(dir, files[0]);
}

/** AFTER INSERT/UPDATE/DELETE triggers on every table, counting rows written into bench_row_writes. */
function installWriteCounters(file: string): void {
  const db = new Database(file);
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'`)
      .pluck()
      .all() as string[];
    db.exec('CREATE TABLE bench_row_writes (tbl TEXT NOT NULL, op TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (tbl, op))');
    for (const t of tables) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(
          `CREATE TRIGGER "bench_count_${t}_${op}" AFTER ${op} ON "${t}" BEGIN ` +
            `INSERT INTO bench_row_writes (tbl, op, n) VALUES ('${t}', '${op.toLowerCase()}', 1) ON CONFLICT (tbl, op) DO UPDATE SET n = n + 1; END`,
        );
      }
    }
  } finally {
    db.close();
  }
}

function rowWrites(file: string): Map<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT tbl, op, n FROM bench_row_writes').all() as Array<{ tbl: string; op: string; n: number }>;
    return new Map(rows.map((r) => [`${r.tbl} ${r.op}`, r.n]));
  } finally {
    db.close();
  }
}

/** The Worker from `root` under wrangler dev (plain HTTP), with a count of the queue messages delivered so far. */
async function startWorker(root: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kates-idle-workers-'));
  const persist = join(dataDir, 'wrangler');
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
  const migrate = spawnSync(join(root, 'node_modules/.bin/wrangler'), ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (migrate.status !== 0) throw new Error('applying D1 migrations failed');
  const dbFile = d1File(persist);
  installWriteCounters(dbFile);

  const port = await freePort();
  const adminKey = `admin-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/dev-workers.ts')], {
    cwd: root,
    detached: true,
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      KATES_ADMIN_KEY: adminKey,
      TLS: 'off',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '10000000',
      KUBE_RATE_LIMIT_PER_MINUTE: '10000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let messages = 0;
  let errors = 0;
  let listening = false;
  let tail = '';
  const onOutput = (chunk: Buffer) => {
    const text = (tail + chunk.toString('utf8')).replace(ANSI, '');
    const lines = text.split('\n');
    tail = lines.pop() ?? '';
    for (const line of lines) {
      const m = /QUEUE \S+ (\d+)\/(\d+)/.exec(line);
      if (m) messages += Number(m[2]);
      else if (line.includes('listening on')) listening = true;
      else if (/\[ERROR\]/.test(line)) {
        // workerd itself failing (out of descriptors: see the note at the top).
        if (errors++ < 3) process.stderr.write(`  wrangler: ${line.slice(0, 300)}\n`);
      } else if (/"level":[56]0/.test(line)) process.stderr.write(`  worker: ${line.slice(0, 300)}\n`);
    }
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  for (let i = 0; !listening; i++) {
    if (child.exitCode !== null || i > 1200) throw new Error(`wrangler dev in ${root} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(base + path, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if ((res.status === 429 || res.status === 503) && attempt < 50) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
    }
  };
  const token = async (apiKey: string) => {
    const r = await call('POST', '/v1/auth/token', undefined, { apiKey });
    if (r.status !== 200) throw new Error(`token: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.accessToken as string;
  };
  return {
    call,
    token,
    adminToken: () => token(adminKey),
    messages: () => messages,
    errors: () => errors,
    rows: () => rowWrites(dbFile),
    async stop() {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function measure(design: string, root: string, n: number): Promise<Figures> {
  const w = await startWorker(root);
  try {
    const admin = await w.adminToken();
    const tenants: Array<{ key: string; token: string; clusters: number }> = [];
    for (let t = 0; t * CLUSTERS_PER_TENANT < n; t++) {
      const created = await w.call('POST', '/v1/tenants', admin, { name: `idle-${t}`, plan: 'enterprise' });
      if (created.status !== 201) throw new Error(`tenant: ${created.status} ${JSON.stringify(created.body)}`);
      const key = await w.call('POST', `/v1/tenants/${created.body.id}/api-keys`, admin, { name: 'owner', role: 'owner' });
      tenants.push({ key: key.body.key, token: await w.token(key.body.key), clusters: Math.min(CLUSTERS_PER_TENANT, n - t * CLUSTERS_PER_TENANT) });
    }
    const t0 = Date.now();
    const requests = tenants.flatMap((tenant, t) => Array.from({ length: tenant.clusters }, (_, i) => ({ tenant, name: `idle-${t}-${i}` })));
    await pool(requests, 4, async ({ tenant, name }) => {
      const r = await w.call('POST', '/v1/clusters', tenant.token, {
        name,
        provider: 'eks',
        region: 'us-east-1',
        nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }],
      });
      if (r.status !== 202) throw new Error(`cluster: ${r.status} ${JSON.stringify(r.body)}`);
    });
    const countRunning = async () => {
      let total = 0;
      for (const tenant of tenants) {
        tenant.token = await w.token(tenant.key);
        const r = await w.call('GET', `/v1/clusters?status=RUNNING&limit=100`, tenant.token);
        total += r.body.items.length;
        let cursor: string | null = r.body.nextCursor;
        while (cursor) {
          const next = await w.call('GET', `/v1/clusters?status=RUNNING&limit=100&cursor=${encodeURIComponent(cursor)}`, tenant.token);
          total += next.body.items.length;
          cursor = next.body.nextCursor;
        }
      }
      return total;
    };
    let running = 0;
    while ((running = await countRunning()) < n && Date.now() - t0 < CREATE_TIMEOUT_MS) {
      process.stderr.write(`  ${design} N=${n}: ${running} running after ${Math.round((Date.now() - t0) / 1000)} s\n`);
      await new Promise((r) => setTimeout(r, 5000));
    }
    const createS = (Date.now() - t0) / 1000;
    // Settled: a 30 s interval delivers at most a message per 20 clusters (the Cron's own work aside);
    // at least MIN_SETTLE_S, at most --settle (the tick design never settles).
    const settleStart = Date.now();
    let before = w.messages();
    for (;;) {
      await new Promise((r) => setTimeout(r, 30_000));
      const now = w.messages();
      const elapsed = (Date.now() - settleStart) / 1000;
      process.stderr.write(`  ${design} N=${n}: ${now - before} messages in the last 30 s, ${Math.round(elapsed)} s settling\n`);
      if ((elapsed >= MIN_SETTLE_S && now - before <= Math.max(2, n / 20)) || elapsed >= SETTLE_S) break;
      before = now;
    }
    const settleS = (Date.now() - settleStart) / 1000;

    const [messages0, rows0] = [w.messages(), w.rows()];
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    const [messages1, rows1] = [w.messages(), w.rows()];
    const perTable = [...rows1].map(([k, v]) => [k, ((v - (rows0.get(k) ?? 0)) / WINDOW_S) * 60] as const).filter(([, v]) => v > 0);
    perTable.sort((a, b) => b[1] - a[1]);
    return {
      design,
      n,
      running,
      createS,
      settleS,
      errors: w.errors(),
      messagesTotal: messages1,
      rowsTotal: sum(rows1),
      messagesPerMin: ((messages1 - messages0) / WINDOW_S) * 60,
      rowsPerMin: ((sum(rows1) - sum(rows0)) / WINDOW_S) * 60,
      topTables:
        perTable
          .slice(0, 6)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', ') || '-',
    };
  } finally {
    await w.stop();
  }
}

function table(rows: Figures[]): string {
  const head = [
    'design',
    'clusters',
    'running',
    'create s',
    'settle s',
    'workerd errors',
    'messages in all',
    'D1 rows in all',
    'messages/min',
    'msgs/cluster/min',
    'D1 rows/min',
    'rows/cluster/min',
    'rows/min by table and op',
  ];
  const body = rows.map((r) => [
    r.design,
    String(r.n),
    String(r.running),
    r.createS.toFixed(0),
    r.settleS.toFixed(0),
    String(r.errors),
    String(r.messagesTotal),
    String(r.rowsTotal),
    r.messagesPerMin.toFixed(1),
    (r.messagesPerMin / Math.max(1, r.running)).toFixed(2),
    r.rowsPerMin.toFixed(1),
    (r.rowsPerMin / Math.max(1, r.running)).toFixed(2),
    r.topTables,
  ]);
  return formatTable(head, body);
}

const rows: Figures[] = [];
const failures: string[] = [];
/** A run whose Worker stopped answering (out of descriptors) is reported, not measured. */
async function attempt(design: string, root: string, n: number): Promise<void> {
  try {
    rows.push(await measure(design, root, n));
    console.log(table(rows));
  } catch (err) {
    failures.push(`${design} N=${n}: ${(err as Error).message}`);
    console.log(`${design} N=${n} failed: ${(err as Error).message}`);
  }
}
for (const n of SIZES) await attempt(LABEL, CANDIDATE, n);
if (BASELINE_SIZES.length) {
  const base = baselineCheckout(CANDIDATE, BASELINE_REF);
  try {
    for (const n of BASELINE_SIZES) await attempt(`tick@${BASELINE_REF}`, base.root, n);
  } finally {
    base.remove();
  }
}
console.log(
  `\nIdle ${WINDOW_S} s window after settling (at most ${SETTLE_S} s), wrangler dev with the minute Cron fired every 60 s (its work included);` +
    ` messages = queue messages delivered to the consumer (miniflare's QUEUE lines); D1 rows = rows inserted, updated or deleted in any table (triggers in the local D1 file).`,
);
console.log(table(rows));
if (failures.length) console.log(`\nNot measured: ${failures.join('; ')}`);
