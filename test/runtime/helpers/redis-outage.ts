import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { ensureRedisServer } from '../../../src/platform/redis.ts';
import { call, type ServiceProcess } from './service-process.ts';
import { waitFor } from '../../helpers/wait.ts';

/** A plain redis-server without persistence, stopped with SIGKILL: an external REDIS_URL that can go away. */
export async function plainRedis(port: number): Promise<{ url: string; kill(): Promise<void> }> {
  const child: ChildProcess = spawn(ensureRedisServer(), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.once('exit', r));
  const url = `redis://127.0.0.1:${port}`;
  await waitFor(() => accepts(port), `redis on ${port}`);
  return {
    url,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * Takes a TCP port as soon as it is free and drops every connection to it: the Redis that lived
 * there stays away (its restart fails to bind) until the server is closed.
 */
export function holdPort(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer((socket) => socket.destroy());
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

export async function holdPortWhenFree(port: number): Promise<Server> {
  return waitFor(() => holdPort(port), `port ${port} to be free`, 5_000, 2);
}

/** While Redis is down: /readyz 503, /healthz 200, and authenticated requests 503 within 2 s on both APIs. */
export async function assertFailsFast(
  svc: ServiceProcess,
  token: string,
  kubePath: string,
  clusterToken: string,
  assert: typeof import('node:assert/strict'),
): Promise<void> {
  const url = svc.url!;
  const ready = await waitFor(
    async () => {
      const r = await call(url, 'GET', '/readyz');
      return r.status === 503 && r;
    },
    '/readyz to answer 503',
    10_000,
  );
  assert.notEqual(ready.body.checks.redis, 'ok');
  assert.equal(ready.body.checks.database, 'ok');
  assert.ok(ready.headers.get('retry-after'));
  assert.equal((await call(url, 'GET', '/healthz')).status, 200);

  const v1 = await call(url, 'GET', '/v1/clusters', { token });
  assert.equal(v1.status, 503, JSON.stringify(v1.body));
  assert.ok(v1.ms < 2_000, `answered in ${v1.ms} ms`);
  assert.equal(v1.body.error.code, 'UNAVAILABLE');
  assert.ok(Number(v1.headers.get('retry-after')) >= 1);

  const kube = await call(url, 'GET', kubePath, { token: clusterToken });
  assert.equal(kube.status, 503, JSON.stringify(kube.body));
  assert.ok(kube.ms < 2_000, `answered in ${kube.ms} ms`);
  assert.equal(kube.body.kind, 'Status');
  assert.equal(kube.body.reason, 'ServiceUnavailable');
  assert.ok(Number(kube.headers.get('retry-after')) >= 1);
}
