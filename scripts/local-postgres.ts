import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../src/platform/redis.ts';

/**
 * A throwaway PostgreSQL server for tests and benchmarks: Debian's package (installed when missing and
 * running as root with apt-get), `initdb` into `dir`, a free port on 127.0.0.1, the unix socket in
 * `dir`. Root may not run postgres, so as root the server runs as the `postgres` user the package
 * creates. Durability is off (fsync): the data is thrown away with `dir`.
 */
export interface LocalPostgres {
  /** Server URL without a database name; append `/<name>`. */
  url: string;
  stop(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const find = () =>
    existsSync(root)
      ? readdirSync(root)
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => join(root, v, 'bin'))
          .find((d) => existsSync(join(d, 'initdb')))
      : undefined;
  let dir = find();
  if (!dir && process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0) {
    console.error('installing postgresql (Debian package)');
    spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql'], { stdio: 'inherit' });
    dir = find();
  }
  if (!dir) throw new Error('PostgreSQL is not installed (Debian/Ubuntu: `apt-get install postgresql`); set KATES_TEST_POSTGRES_URL to use a running server');
  return dir;
}

/** `dir` must be reachable by the postgres user when running as root (e.g. a new temp dir under /tmp). */
export async function startLocalPostgres(dir: string): Promise<LocalPostgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const r = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { encoding: 'utf8' })
      : spawnSync(join(bin, cmd), args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  mkdirSync(dir, { recursive: true });
  if (asRoot) {
    const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(pw.stdout.trim()), Number(gid.stdout.trim()));
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--locale=C.UTF-8', '-E', 'UTF8']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } catch {
        // already gone
      }
    },
  };
}
