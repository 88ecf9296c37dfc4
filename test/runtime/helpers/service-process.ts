import { spawn, type ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomString } from '../../../src/lib/ids.ts';
import { waitFor } from '../../helpers/wait.ts';
import { testDatabaseEnv } from '../../helpers/database.ts';

const root = resolve(import.meta.dirname, '../../..');

export interface ServiceProcess {
  child: ChildProcess;
  /** The API's base URL (plain HTTP); undefined for `--role worker`. */
  url?: string;
  adminKey: string;
  output(): string;
  /** Sends a signal and resolves with the exit code (null when killed by the signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * `npm start` as a real child process (node with tsx's loader, so signals reach the service itself),
 * plain HTTP on a free port. Without `REDIS_URL` in `env` it starts its own private redis-server
 * (the run's REDIS_URL is not inherited).
 */
// WORKER_NICE=0 unless a test asks: the suite runs files side by side at normal priority, and a niced
// worker process starved by a neighbouring file's load measures the test machine, not the service.
export async function startService(opts: {
  dataDir: string;
  env?: Record<string, string>;
  role?: 'all' | 'api' | 'worker';
  adminKey?: string;
  nodeArgs?: string[];
}): Promise<ServiceProcess> {
  const adminKey = opts.adminKey ?? `admin-${randomString(24)}`;
  const { REDIS_URL: _inherited, ...base } = process.env;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts', '--role', opts.role ?? 'all'], {
    cwd: root,
    env: {
      ...base,
      ...testDatabaseEnv(opts.dataDir),
      DATA_DIR: opts.dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      TLS: 'off',
      KATES_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '100000',
      QUEUE_PREFIX: `t${randomString(8)}`,
      WORKER_NICE: '0',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = opts.role === 'worker' ? /kates workers running/ : /"url":"(http:[^"]+)".*kates API listening/;
  const match = await waitFor(async () => ready.exec(out) ?? (child.exitCode !== null ? 'exited' : undefined), 'the service to start', 60_000).catch((err) => {
    child.kill('SIGKILL');
    throw new Error(`${err}\n${out}`);
  });
  if (match === 'exited') throw new Error(`the service exited with ${child.exitCode}:\n${out}`);
  return {
    child,
    url: match[1],
    adminKey,
    output: () => out,
    exited,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The private redis-server named by the pid file the service keeps in DATA_DIR. */
export function privateRedis(dataDir: string): { redis: number; service: number; port: number } {
  return JSON.parse(readFileSync(join(dataDir, 'redis', 'kates-redis.pid'), 'utf8'));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of the redis-servers working in `dir` (redis chdirs to its --dir; Linux /proc). */
export function redisServersOn(dir: string): number[] {
  const real = realpathSync(dir);
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server') && readlinkSync(`/proc/${pid}/cwd`) === real;
      } catch {
        return false;
      }
    })
    .map(Number);
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
  ms: number;
}

/** One HTTP request with its duration; never waits more than 10 s. */
export async function call(url: string, method: string, path: string, opts: { token?: string; body?: unknown; contentType?: string } = {}): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(new URL(path, url), {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': opts.contentType ?? 'application/json' } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body, ms: Date.now() - started };
}

/** A tenant with an owner token, through the admin key. */
export async function ownerToken(svc: ServiceProcess): Promise<string> {
  const token = async (apiKey: string) => (await call(svc.url!, 'POST', '/v1/auth/token', { body: { apiKey } })).body.accessToken as string;
  const admin = await token(svc.adminKey);
  const tenant = await call(svc.url!, 'POST', '/v1/tenants', { token: admin, body: { name: `t-${randomString(6)}` } });
  const key = await call(svc.url!, 'POST', `/v1/tenants/${tenant.body.id}/api-keys`, { token: admin, body: { name: 'owner', role: 'owner' } });
  return token(key.body.key);
}

/**
 * Services and temporary data dirs a test file starts, all killed and removed after the file: `start`
 * remembers the service, `tempDir` the folder. Call once at the top of a file (it registers `after`).
 */
export function serviceFixture(dirPrefix: string) {
  const running: ServiceProcess[] = [];
  const dirs: string[] = [];
  after(async () => {
    await Promise.all(running.map((s) => s.stop('SIGKILL')));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return {
    running,
    tempDir() {
      const d = mkdtempSync(join(tmpdir(), dirPrefix));
      dirs.push(d);
      return d;
    },
    async start(opts: Parameters<typeof startService>[0]) {
      const svc = await startService(opts);
      running.push(svc);
      return svc;
    },
  };
}

/** Pids of the `--role worker` processes whose parent is `pid` (Linux /proc). */
export function workerProcessesOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').includes('--role worker');
      } catch {
        return false;
      }
    })
    .map(Number);
}
