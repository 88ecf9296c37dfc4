import { Redis } from 'ioredis';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../lib/logger.ts';
import { createServer } from 'node:net';
import { supervise } from './supervisor.ts';

export interface LocalRedis {
  url: string;
  /** The redis-server's process id right now (it changes when it is restarted). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

/** Finds redis-server; installs Debian's package when running as root with apt-get, else explains. */
export function ensureRedisServer(log?: Logger): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).stdout.trim();
  if (isRoot && hasApt) {
    log?.info('redis-server not found: installing Debian package redis-server');
    const r = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'], { stdio: 'inherit' });
    const again = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
    if (r.status === 0 && again) return again;
  }
  throw new Error(
    'redis-server is not installed. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`) or set REDIS_URL to a Redis 7 server.',
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Names the redis-server serving a data directory and the service that owns it. */
const PID_FILE = 'kates-redis.pid';

interface PidFile {
  service: number;
  redis: number;
  port: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `pid` runs `name` (guards against a recycled pid); assumed when the system cannot tell. */
function runs(pid: number, name: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name);
  } catch {
    const ps = spawnSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    return ps.status === 0 ? ps.stdout.includes(name) : true;
  }
}

async function waitExit(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) if (!alive(pid)) return true;
  return !alive(pid);
}

/**
 * A redis-server left by a service that died (kill -9, power loss) must not share the append-only
 * file with the one about to start: stop it (SIGTERM lets it flush the file, SIGKILL if it hangs).
 * A live service that still owns the directory is an error: two services on one DATA_DIR.
 */
async function stopLeftover(dir: string, log?: Logger): Promise<void> {
  let previous: PidFile;
  try {
    previous = JSON.parse(readFileSync(join(dir, PID_FILE), 'utf8')) as PidFile;
  } catch {
    return;
  }
  if (!previous.redis || !alive(previous.redis) || !runs(previous.redis, 'redis-server')) return;
  if (previous.service && alive(previous.service) && runs(previous.service, 'node')) {
    throw new Error(
      `${dir} is in use by the redis-server (pid ${previous.redis}) of another running kates service (pid ${previous.service}); ` +
        'stop it, or give each service its own DATA_DIR, or share one Redis through REDIS_URL.',
    );
  }
  log?.warn({ pid: previous.redis, deadService: previous.service }, 'stopping the redis-server left by a service that died');
  process.kill(previous.redis, 'SIGTERM');
  if (!(await waitExit(previous.redis, 5_000))) {
    process.kill(previous.redis, 'SIGKILL');
    await waitExit(previous.redis, 2_000);
  }
}

/**
 * On Linux the server gets SIGTERM when this process dies, even by kill -9 (the parent-death signal
 * set by util-linux's setpriv before it execs redis-server); elsewhere the pid file check at the next
 * start is what stops a leftover.
 */
function launcher(bin: string): { command: string; prefix: string[] } {
  if (process.platform !== 'linux') return { command: bin, prefix: [] };
  const setpriv = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).stdout.trim();
  return setpriv ? { command: setpriv, prefix: ['--pdeathsig', 'TERM', bin] } : { command: bin, prefix: [] };
}

async function waitForPing(url: string, ms: number): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  probe.on('error', () => undefined); // expected while the server is still starting
  try {
    for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) {
      try {
        await probe.connect();
        await probe.ping();
        return true;
      } catch {
        probe.disconnect();
      }
    }
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * Starts and supervises the private redis-server (the embedded default when REDIS_URL is unset) on a
 * free loopback port, with an append-only file in `dir`: it is restarted with back-off on the same
 * port and files when it dies, and stopped when the service stops or dies.
 */
export async function startLocalRedis(dir: string, log?: Logger): Promise<LocalRedis> {
  const bin = ensureRedisServer(log);
  mkdirSync(dir, { recursive: true });
  await stopLeftover(dir, log);
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const { command, prefix } = launcher(bin);
  const args = [
    ...prefix,
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
  ];

  const server = supervise({
    launch() {
      const proc = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      proc.on('error', (err) => log?.error({ err: err.message }, 'could not start redis-server'));
      if (proc.pid) writeFileSync(join(dir, PID_FILE), JSON.stringify({ service: process.pid, redis: proc.pid, port } satisfies PidFile));
      return proc;
    },
    // 100 ms doubling to 5 s.
    firstBackoffMs: 100,
    maxBackoffMs: 5_000,
    onExit: (code, signal, restartInMs) => log?.error({ code, signal, restartInMs }, 'the private redis-server exited: restarting it'),
  });
  if (!(await waitForPing(url, 10_000))) log?.warn({ url }, 'redis-server does not answer yet');
  log?.info({ url, pid: server.pid() }, 'started local redis-server');

  return {
    url,
    pid: server.pid,
    async stop() {
      // SIGTERM makes redis flush the append-only file; one that hangs is killed.
      await server.stop(5_000);
      rmSync(join(dir, PID_FILE), { force: true });
    },
  };
}
