/**
 * Shared by the request-path benches: the service as real processes (`src/main.ts`, HTTPS with its
 * own CA, a private redis-server, one SQLite file), a bare Hono app on @hono/node-server with the
 * same certificate as the baseline, and autocannon driving both from this process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { getPriority, setPriority, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../src/platform/redis.ts';

export const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
export const flag = (name: string) => process.argv.includes(`--${name}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const root = resolve(import.meta.dirname, '..');
/** Whose `src/main.ts` runs as the service: this tree, or another checkout (a baseline, see `--against`). */
const serviceRoot = (opts: { root?: string }) => opts.root ?? root;

export interface Service {
  url: string;
  ca: string;
  dataDir: string;
  adminKey: string;
  call(method: string, path: string, token?: string, body?: unknown, contentType?: string): Promise<{ status: number; text: string; json: any }>;
  /** CPU seconds (user + system) the service's processes have used so far, their worker children included (Linux /proc). */
  cpuSeconds(): number;
  /** Starts another process of the service (e.g. `--role worker`) on the same database and Redis. */
  spawnRole(role: 'worker' | 'api' | 'all'): Promise<ChildProcess>;
  stop(): Promise<void>;
}

export type Role = 'all' | 'api';

/**
 * Starts the service as `node src/main.ts --role <role>` over HTTPS; `cpuProf` writes a V8 CPU
 * profile of that process (and of its worker child) into the directory given when it stops; `root`
 * runs another checkout of the service (a baseline).
 */
export async function startService(
  opts: { role?: Role; cpuProf?: string; env?: Record<string, string>; root?: string; workerNice?: number } = {},
): Promise<Service> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kates-reqpath-'));
  const redisPort = await freePort();
  const adminKey = `admin-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const children: ChildProcess[] = [];
  // A bench that fails leaves no service or redis-server behind.
  process.on('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));
  const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  children.push(redis);
  const port = await freePort();
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    KATES_ADMIN_KEY: adminKey,
    TLS: 'on',
    PUBLIC_URL: `https://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: 'reqpath',
    // The budgets are hardening's business; here they must not cap the load.
    RATE_LIMIT_PER_MINUTE: '100000000',
    KUBE_RATE_LIMIT_PER_MINUTE: '100000000',
    ...opts.env,
  };
  const launch = (role: string, listenPort: number, prof?: string) => {
    const nodeArgs = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts', '--role', role], {
      cwd: serviceRoot(opts),
      env: { ...env, PORT: String(listenPort) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    // A worker process on the API's machine runs below it, as `npm start` runs its worker child (WORKER_NICE).
    if (role === 'worker' && opts.workerNice && child.pid) setPriority(child.pid, Math.min(19, getPriority() + opts.workerNice));
    return child;
  };
  launch(opts.role ?? 'all', port, opts.cpuProf);
  const url = `https://127.0.0.1:${port}`;
  let ca = '';
  for (let i = 0; ; i++) {
    try {
      ca = readFileSync(join(dataDir, 'tls', 'ca.crt'), 'utf8');
      const agent = new Agent({ ca });
      const ok = await new Promise<boolean>((res) => {
        const req = request(`${url}/healthz`, { agent }, (r) => res(r.statusCode === 200));
        req.on('error', () => res(false));
        req.end();
      });
      agent.destroy();
      if (ok) break;
    } catch {
      /* not yet */
    }
    if (i > 600) throw new Error('the service did not start');
    await sleep(100);
  }
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca });
  const call: Service['call'] = (method, path, token, body, contentType = 'application/json') => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((res, rej) => {
      const req = request(
        `${url}${path}`,
        {
          method,
          agent,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c) => chunks.push(c));
          r.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: any;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            res({ status: r.statusCode ?? 0, text, json });
          });
        },
      );
      req.on('error', rej);
      req.end(payload);
    });
  };
  return {
    url,
    ca,
    dataDir,
    adminKey,
    call,
    cpuSeconds: () => children.filter((c) => c !== redis && c.pid).reduce((sum, c) => sum + treeCpuSeconds(c.pid!), 0),
    async spawnRole(role) {
      const child = launch(role, role === 'worker' ? 0 : await freePort(), opts.cpuProf);
      await sleep(2_000);
      return child;
    },
    async stop() {
      agent.destroy();
      // SIGTERM first so a --cpu-prof process writes its profile; redis last.
      const kates = children.filter((c) => c !== redis);
      await Promise.all(kates.map((c) => new Promise<void>((r) => (c.exitCode !== null ? r() : (c.once('exit', () => r()), c.kill('SIGTERM'))))));
      redis.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** CPU seconds of a process and its descendants (utime + stime of /proc/<pid>/stat, in clock ticks of 1/100 s). */
function treeCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = (Number(fields[11]) + Number(fields[12])) / 100;
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    return own + kids.reduce((sum, k) => sum + treeCpuSeconds(k), 0);
  } catch {
    return 0; // gone, or not Linux
  }
}

/** The baseline: a bare Hono app on @hono/node-server with the service's certificate. */
export async function startBareHono(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-hono.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), TLS_KEY: join(dataDir, 'tls', 'server.key'), TLS_CERT: join(dataDir, 'tls', 'server.crt') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.on('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  await new Promise<void>((res, rej) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && res());
    child.once('exit', () => rej(new Error('bare Hono app did not start')));
  });
  return {
    url: `https://127.0.0.1:${port}`,
    stop: () => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))),
  };
}

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  ok: number;
  bad: number;
}

/** autocannon against one URL: flat out with `connections`, or at `rate` req/s in total. */
export async function load(opts: {
  url: string;
  ca: string;
  path: string;
  token?: string;
  connections: number;
  duration: number;
  rate?: number;
  method?: string;
  body?: (i: number) => string;
}): Promise<Load> {
  let n = 0;
  const r = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.duration,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    tlsOptions: { ca: opts.ca },
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body ? { 'content-type': 'application/json' } : {}) },
    requests: [
      {
        method: (opts.method ?? 'GET') as 'GET',
        path: opts.path,
        ...(opts.body ? { setupRequest: (req: any) => ({ ...req, body: opts.body!(n++) }) } : {}),
      },
    ],
  } as autocannon.Options);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, ok: r['2xx'], bad: r.non2xx + r.errors };
}

export const show = (l: Load) =>
  `${Math.round(l.rps).toString().padStart(6)} req/s  p50 ${String(l.p50).padStart(3)} ms  p99 ${String(l.p99).padStart(4)} ms  max ${String(l.max).padStart(4)} ms  (${l.ok} 2xx, ${l.bad} other)`;

/** A tenant with an owner token, one RUNNING cluster and its kubeconfig's token. */
export async function tenantWithCluster(
  s: Service,
  name: string,
  nodes = 3,
  instanceType = 'm5.large',
): Promise<{ token: string; clusterId: string; kubeToken: string }> {
  const check = (r: { status: number; text: string; json: any }, status: number, what: string) => {
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 300)}`);
    return r.json;
  };
  const admin = check(await s.call('POST', '/v1/auth/token', undefined, { apiKey: s.adminKey }), 200, 'admin token').accessToken;
  const tenant = check(await s.call('POST', '/v1/tenants', admin, { name, plan: 'enterprise' }), 201, 'tenant');
  const key = check(await s.call('POST', `/v1/tenants/${tenant.id}/api-keys`, admin, { name, role: 'owner' }), 201, 'key').key;
  const token = check(await s.call('POST', '/v1/auth/token', undefined, { apiKey: key }), 200, 'token').accessToken;
  const cluster = check(
    await s.call('POST', '/v1/clusters', token, { name, provider: 'eks', region: 'us-east-1', nodePools: [{ name: 'default', instanceType, count: nodes }] }),
    202,
    'cluster',
  );
  for (let i = 0; ; i++) {
    const got = check(await s.call('GET', `/v1/clusters/${cluster.id}`, token), 200, 'get cluster');
    if (got.status === 'RUNNING') break;
    if (got.status === 'FAILED' || i > 600) throw new Error(`cluster ${cluster.id} did not become RUNNING (${got.status})`);
    await sleep(50);
  }
  const kubeconfig = await s.call('GET', `/v1/clusters/${cluster.id}/kubeconfig`, token);
  const kubeToken = /token: (\S+)/.exec(kubeconfig.text)?.[1];
  if (!kubeToken) throw new Error(`no token in kubeconfig: ${kubeconfig.status} ${kubeconfig.text.slice(0, 200)}`);
  return { token, clusterId: cluster.id, kubeToken };
}
