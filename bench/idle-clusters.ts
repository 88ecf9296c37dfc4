/**
 * What idle clusters cost: N clusters of 3 nodes with nothing deployed, created through the API of a
 * real service process (its own redis-server, SQLite in a temp dir), left to settle, then measured
 * for a window: service CPU (node + redis-server, from /proc), RSS, database bytes per cluster and
 * BullMQ jobs run per minute (the service's /metrics). Beside it, the same figures for the periodic
 * tick design (main at ed635d5) run from a temporary git worktree in the same run.
 *
 *   npx tsx bench/idle-clusters.ts [--n 100,1000,10000] [--baseline-n 100,1000] [--window 60] [--settle 600]
 *                                  [--baseline-ref ed635d5] [--no-baseline] [--candidate <checkout>] [--label timers]
 *
 * Target (the issue): 10,000 idle 3-node clusters under 5 % of one core, 0 jobs per idle cluster per minute.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineCheckout } from './baseline-checkout.ts';
import { argValue, formatTable, freePort, numberList as list, pool, sum } from './idle-kit.ts';

const SIZES = list('n', '100,1000,10000');
const BASELINE_SIZES = process.argv.includes('--no-baseline') ? [] : list('baseline-n', '100,1000');
const WINDOW_S = Number(argValue('window') ?? 60);
/** The longest wait for the clusters to settle (see `measure`); a saturated service never does. */
const SETTLE_S = Number(argValue('settle') ?? 600);
const MIN_SETTLE_S = 30;
const BASELINE_REF = argValue('baseline-ref') ?? 'ed635d5';
const CANDIDATE = argValue('candidate') ?? join(import.meta.dirname, '..');
const LABEL = argValue('label') ?? 'timers';
/** The enterprise plan's cluster quota per tenant. */
const CLUSTERS_PER_TENANT = 200;
/** How long creating N clusters may take before the run is measured as it stands (a saturated service). */
const CREATE_TIMEOUT_MS = Number(argValue('create-timeout') ?? 30 * 60) * 1000;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface Figures {
  design: string;
  n: number;
  running: number;
  createS: number;
  settleS: number;
  cpuNode: number;
  cpuRedis: number;
  rssMb: number;
  dbBytesPerCluster: number;
  jobsPerMin: number;
  /** The busiest job names in the window, per minute. */
  topJobs: string;
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

function childPid(parent: number, comm: string): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && name.startsWith(comm)) return Number(d);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

/** One service process over a fresh data dir, with a small client for its API. */
async function startService(root: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kates-idle-'));
  const port = await freePort();
  const adminKey = `admin-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    KATES_ADMIN_KEY: adminKey,
    TLS: 'off',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '10000000',
  };
  delete env.REDIS_URL;
  delete env.DATABASE_PATH;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(base + path, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if (res.status === 429 && attempt < 50) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
    }
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the service in ${root} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (i > 600) throw new Error('the service did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = async (apiKey: string) => {
    const r = await call('POST', '/v1/auth/token', undefined, { apiKey });
    if (r.status !== 200) throw new Error(`token: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.accessToken as string;
  };
  return {
    child,
    dataDir,
    call,
    token,
    adminToken: () => token(adminKey),
    async stop() {
      child.kill('SIGTERM');
      const exited = new Promise((r) => child.once('exit', r));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Jobs run so far by job name (the controller, for reconcile jobs), from the service's kates_job_duration_seconds. */
async function jobsRun(call: Awaited<ReturnType<typeof startService>>['call']): Promise<Map<string, number>> {
  const r = await call('GET', '/metrics');
  const out = new Map<string, number>();
  for (const line of String(r.body).split('\n')) {
    if (!line.startsWith('kates_job_duration_seconds_count')) continue;
    const name = /name="([^"]*)"/.exec(line)?.[1] ?? '?';
    out.set(name, (out.get(name) ?? 0) + Number(line.split(' ').at(-1)));
  }
  return out;
}

async function measure(design: string, root: string, n: number): Promise<Figures> {
  const svc = await startService(root);
  try {
    const admin = await svc.adminToken();
    const tenants: Array<{ key: string; token: string; clusters: number }> = [];
    for (let t = 0; t * CLUSTERS_PER_TENANT < n; t++) {
      const created = await svc.call('POST', '/v1/tenants', admin, { name: `idle-${t}`, plan: 'enterprise' });
      if (created.status !== 201) throw new Error(`tenant: ${created.status} ${JSON.stringify(created.body)}`);
      const key = await svc.call('POST', `/v1/tenants/${created.body.id}/api-keys`, admin, { name: 'owner', role: 'owner' });
      tenants.push({ key: key.body.key, token: await svc.token(key.body.key), clusters: Math.min(CLUSTERS_PER_TENANT, n - t * CLUSTERS_PER_TENANT) });
    }
    const t0 = Date.now();
    const requests = tenants.flatMap((tenant, t) => Array.from({ length: tenant.clusters }, (_, i) => ({ tenant, name: `idle-${t}-${i}` })));
    await pool(requests, 8, async ({ tenant, name }) => {
      let r = await svc.call('POST', '/v1/clusters', tenant.token, {
        name,
        provider: 'eks',
        region: 'us-east-1',
        nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }],
      });
      if (r.status === 401) {
        tenant.token = await svc.token(tenant.key);
        r = await svc.call('POST', '/v1/clusters', tenant.token, {
          name,
          provider: 'eks',
          region: 'us-east-1',
          nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }],
        });
      }
      if (r.status !== 202) throw new Error(`cluster: ${r.status} ${JSON.stringify(r.body)}`);
    });
    const countRunning = async () => {
      let total = 0;
      for (const tenant of tenants) {
        tenant.token = await svc.token(tenant.key);
        let cursor: string | null = null;
        do {
          const r: { body: { items: unknown[]; nextCursor: string | null } } = await svc.call(
            'GET',
            `/v1/clusters?status=RUNNING&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            tenant.token,
          );
          total += r.body.items.length;
          cursor = r.body.nextCursor;
        } while (cursor);
      }
      return total;
    };
    let running = 0;
    while ((running = await countRunning()) < n && Date.now() - t0 < CREATE_TIMEOUT_MS) {
      process.stderr.write(`  ${design} N=${n}: ${running} running after ${Math.round((Date.now() - t0) / 1000)} s\n`);
      await new Promise((r) => setTimeout(r, 5000));
    }
    const createS = (Date.now() - t0) / 1000;
    // Settled: every cluster's first passes (one per controller when it became RUNNING) have drained, i.e.
    // a 10 s interval runs no more than 1 job per 1,000 clusters; at least MIN_SETTLE_S, at most --settle.
    const settleStart = Date.now();
    let before = sum(await jobsRun(svc.call));
    for (;;) {
      await new Promise((r) => setTimeout(r, 10_000));
      const now = sum(await jobsRun(svc.call));
      const elapsed = (Date.now() - settleStart) / 1000;
      if ((elapsed >= MIN_SETTLE_S && now - before <= Math.max(1, n / 1000)) || elapsed >= SETTLE_S) break;
      before = now;
    }
    const settleS = (Date.now() - settleStart) / 1000;

    const nodePid = svc.child.pid!;
    const redisPid = childPid(nodePid, 'redis-server');
    if (!redisPid) throw new Error('no redis-server child found');
    const jobs0 = await jobsRun(svc.call);
    const [node0, redis0] = [cpuTicks(nodePid), cpuTicks(redisPid)];
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    const [node1, redis1] = [cpuTicks(nodePid), cpuTicks(redisPid)];
    const jobs1 = await jobsRun(svc.call);
    const perName = [...jobs1].map(([name, count]) => [name, ((count - (jobs0.get(name) ?? 0)) / WINDOW_S) * 60] as const).filter(([, v]) => v > 0);
    perName.sort((a, b) => b[1] - a[1]);
    const pct = (ticks: number) => (ticks / CLK_TCK / WINDOW_S) * 100;
    const dbBytes = readdirSync(svc.dataDir)
      .filter((f) => f.startsWith('kates.db'))
      .reduce((s, f) => s + statSync(join(svc.dataDir, f)).size, 0);
    return {
      design,
      n,
      running,
      createS,
      settleS,
      cpuNode: pct(node1 - node0),
      cpuRedis: pct(redis1 - redis0),
      rssMb: (rssBytes(nodePid) + rssBytes(redisPid)) / 2 ** 20,
      dbBytesPerCluster: dbBytes / Math.max(1, running),
      jobsPerMin: ((sum(jobs1) - sum(jobs0)) / WINDOW_S) * 60,
      topJobs:
        perName
          .slice(0, 5)
          .map(([name, v]) => `${name} ${v.toFixed(0)}`)
          .join(', ') || '-',
    };
  } finally {
    await svc.stop();
  }
}

function table(rows: Figures[]): string {
  const head = [
    'design',
    'clusters',
    'running',
    'create s',
    'settle s',
    'CPU node %',
    'CPU redis %',
    'CPU total %',
    'RSS MiB',
    'DB bytes/cluster',
    'jobs/min',
    'jobs/cluster/min',
    'busiest jobs/min',
  ];
  const body = rows.map((r) => [
    r.design,
    String(r.n),
    String(r.running),
    r.createS.toFixed(0),
    r.settleS.toFixed(0),
    r.cpuNode.toFixed(1),
    r.cpuRedis.toFixed(1),
    (r.cpuNode + r.cpuRedis).toFixed(1),
    r.rssMb.toFixed(0),
    r.dbBytesPerCluster.toFixed(0),
    r.jobsPerMin.toFixed(0),
    (r.jobsPerMin / Math.max(1, r.running)).toFixed(2),
    r.topJobs,
  ]);
  return formatTable(head, body);
}

const rows: Figures[] = [];
for (const n of SIZES) {
  rows.push(await measure(LABEL, CANDIDATE, n));
  console.log(table(rows));
}
if (BASELINE_SIZES.length) {
  const base = baselineCheckout(CANDIDATE, BASELINE_REF);
  try {
    for (const n of BASELINE_SIZES) {
      rows.push(await measure(`tick@${BASELINE_REF}`, base.root, n));
      console.log(table(rows));
    }
  } finally {
    base.remove();
  }
}
console.log(
  `\nIdle ${WINDOW_S} s window after settling (at most ${SETTLE_S} s); CPU in % of one core (node + its redis-server, /proc); jobs = BullMQ jobs run (the service's kates_job_duration_seconds).`,
);
console.log(table(rows));
