/**
 * Scale-out on PostgreSQL: 1, 2 and 4 `--role worker` processes plus 2 `--role api` processes share
 * one PostgreSQL and one Redis, beside the embedded default (one process on SQLite) measured in the
 * same run. For each setup it prints clusters created per second (N clusters, POST to RUNNING, spread
 * over the APIs), pods scheduled per second and the time to Running of one Deployment of `--pods`
 * replicas, and the CPU spent per operation by all processes of the setup (kates and PostgreSQL), so
 * the scaling can be projected past this machine's cores.
 *
 *   npx tsx bench/scale-out.ts [--clusters 20] [--pods 1000] [--workers 1,2,4]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, startLocalRedis } from '../src/platform/redis.ts';
import { startLocalPostgres } from '../scripts/local-postgres.ts';

const argv = process.argv;
const arg = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i > 0 ? argv[i + 1] : dflt;
};
const CLUSTERS = Number(arg('clusters', '20'));
const PODS = Number(arg('pods', '1000'));
const WORKERS = arg('workers', '1,2,4').split(',').map(Number);
const root = resolve(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TICKS = 100; // clock ticks per second in /proc/<pid>/stat

const dir = mkdtempSync(join(tmpdir(), 'kates-scale-'));
const redis = await startLocalRedis(join(dir, 'redis'));
// Its own temp dir: the postgres user must be able to reach it.
const pgDir = mkdtempSync(join(tmpdir(), 'kates-scale-pg-'));
const postgres = await startLocalPostgres(pgDir);
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

const postmaster = Number(readFileSync(join(pgDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);

/** CPU seconds used so far by the given pids (with their children) and by this run's PostgreSQL server. */
function cpuSeconds(pids: number[]): number {
  const read = (pid: number | string) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, and the waited-for children's cutime, cstime
      return { ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
    } catch {
      return { ppid: 0, cpu: 0 };
    }
  };
  const roots = new Set([...pids, postmaster]);
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    const s = read(pid);
    if (roots.has(Number(pid)) || roots.has(s.ppid)) ticks += s.cpu;
  }
  return ticks / TICKS;
}

interface Setup {
  name: string;
  databaseUrl?: string;
  apis: number;
  workers: number;
}

async function call(base: string, method: string, path: string, token?: string, body?: unknown, type = 'application/json') {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': type } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 900_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function run(setup: Setup) {
  const adminKey = `admin-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const prefix = `b${Math.random().toString(36).slice(2, 8)}`;
  const procs: ChildProcess[] = [];
  const bases: string[] = [];
  const start = async (role: 'all' | 'api' | 'worker') => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(dir, `${role}-`));
    // One PUBLIC_URL for all, as behind one load balancer: it is the tokens' issuer.
    const env = {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      KATES_ADMIN_KEY: adminKey,
      TLS: 'off',
      PUBLIC_URL: 'http://kates.bench',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '10000000',
      KUBE_RATE_LIMIT_PER_MINUTE: '10000000',
    };
    if (setup.databaseUrl) Object.assign(env, { DATABASE_URL: setup.databaseUrl });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', role], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    procs.push(child);
    if (role !== 'worker') {
      const base = `http://127.0.0.1:${port}`;
      await until(`${role} to listen`, async () => (await call(base, 'GET', '/healthz')).status === 200, 60_000);
      bases.push(base);
    }
  };
  if (setup.apis === 0) await start('all');
  else {
    for (let i = 0; i < setup.apis; i++) await start('api');
    for (let i = 0; i < setup.workers; i++) await start('worker');
  }
  await sleep(1000);
  const pids = procs.map((p) => p.pid!);
  const api = (i: number) => bases[i % bases.length];

  const admin = (await call(api(0), 'POST', '/v1/auth/token', undefined, { apiKey: adminKey })).body.accessToken;
  const tenant = (await call(api(0), 'POST', '/v1/tenants', admin, { name: `bench-${prefix}`, plan: 'enterprise' })).body;
  const key = (await call(api(0), 'POST', `/v1/tenants/${tenant.id}/api-keys`, admin, { name: 'bench', role: 'owner' })).body.key;
  const token = (await call(api(0), 'POST', '/v1/auth/token', undefined, { apiKey: key })).body.accessToken;

  // Clusters created per second: POST to RUNNING, requests spread over the APIs.
  let cpu0 = cpuSeconds(pids);
  let t0 = performance.now();
  const ids = await Promise.all(
    Array.from({ length: CLUSTERS }, async (_, i) => {
      const res = await call(api(i), 'POST', '/v1/clusters', token, {
        name: `c${i}`,
        provider: 'eks',
        region: 'us-east-1',
        nodePools: [{ name: 'p', instanceType: 'm5.large', count: 1 }],
      });
      if (res.status !== 202) throw new Error(`POST /v1/clusters on ${api(i)} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    }),
  );
  await until('clusters RUNNING', async () =>
    (await Promise.all(ids.map(async (id, i) => (await call(api(i), 'GET', `/v1/clusters/${id}`, token)).body.status === 'RUNNING'))).every(Boolean),
  );
  const clustersPerS = CLUSTERS / ((performance.now() - t0) / 1000);
  const cpuPerCluster = (cpuSeconds(pids) - cpu0) / CLUSTERS;

  // One Deployment of PODS replicas on a cluster with room for them.
  const nodes = Math.ceil((PODS * 1.2) / 234);
  const big = (
    await call(api(0), 'POST', '/v1/clusters', token, {
      name: 'big',
      provider: 'eks',
      region: 'us-east-1',
      timeScale: 60,
      nodePools: [{ name: 'p', instanceType: 'm5.4xlarge', count: nodes }],
    })
  ).body;
  await until('big cluster RUNNING', async () => (await call(api(1), 'GET', `/v1/clusters/${big.id}`, token)).body.status === 'RUNNING');
  const kubeToken = /token: (\S+)/.exec((await call(api(0), 'GET', `/v1/clusters/${big.id}/kubeconfig`, token)).body)![1];
  const kube = (i: number, method: string, path: string, body?: unknown) => call(api(i), method, `/clusters/${big.id}/k8s${path}`, kubeToken, body);
  await sleep(2000);
  cpu0 = cpuSeconds(pids);
  t0 = performance.now();
  await kube(0, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: PODS,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' }, annotations: { 'kates.dev/image-pull-seconds': '0' } },
        spec: { containers: [{ name: 'c', image: 'nginx:1.0' }] },
      },
    },
  });
  let scheduledS = 0;
  const runningS = await until('the Deployment Running', async () => {
    if (!scheduledS) {
      const list = (await kube(1, 'GET', '/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%3D')).body;
      const all = (await kube(1, 'GET', '/api/v1/namespaces/default/pods?limit=1')).body;
      const total = Number(all.metadata?.remainingItemCount ?? 0) + (all.items?.length ?? 0);
      if (total === PODS && list.items?.length === 0) scheduledS = (performance.now() - t0) / 1000;
    }
    const s = (await kube(1, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')).body.status ?? {};
    return s.availableReplicas === PODS ? (performance.now() - t0) / 1000 : undefined;
  });
  const cpuPerPod = (cpuSeconds(pids) - cpu0) / PODS;
  scheduledS ||= runningS;

  for (const p of procs) p.kill('SIGTERM');
  await Promise.all(procs.map((p) => (p.exitCode !== null ? undefined : new Promise((r) => p.once('exit', r)))));
  return { clustersPerS, cpuPerCluster, podsPerS: PODS / scheduledS, runningS, cpuPerPod };
}

const setups: Setup[] = [
  { name: 'SQLite, one process (--role all)', apis: 0, workers: 0 },
  ...WORKERS.map((w, i) => ({ name: `PostgreSQL, 2 api + ${w} worker`, databaseUrl: `${postgres.url}/scale${i}`, apis: 2, workers: w })),
];
console.log(
  `scale-out: ${availableParallelism()} cores; ${CLUSTERS} clusters, one Deployment of ${PODS} replicas per setup (CPU: kates and PostgreSQL processes)`,
);
console.log('setup                                 clusters/s  CPU ms/cluster  pods scheduled/s  Deployment Running s  CPU ms/pod');
try {
  for (const s of setups) {
    const r = await run(s);
    console.log(
      `${s.name.padEnd(38)}${r.clustersPerS.toFixed(2).padStart(10)}${(r.cpuPerCluster * 1000).toFixed(0).padStart(16)}${r.podsPerS.toFixed(1).padStart(18)}${r.runningS.toFixed(1).padStart(22)}${(r.cpuPerPod * 1000).toFixed(1).padStart(12)}`,
    );
  }
} finally {
  children.forEach((c) => c.kill('SIGKILL'));
  await redis.stop();
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(pgDir, { recursive: true, force: true });
}
