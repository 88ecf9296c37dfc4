import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureRedisServer, freePort } from '../../src/platform/redis.ts';
import { waitFor } from '../helpers/wait.ts';
import { call, isAlive, privateRedis, redisServersOn, serviceFixture } from './helpers/service-process.ts';
import { plainRedis } from './helpers/redis-outage.ts';

/**
 * The service owns the redis-server it starts: it never leaves one behind, never runs two on the
 * same files, and a SIGTERM ends it within 10 s even when Redis is gone.
 */
const { tempDir, start } = serviceFixture('kates-supervise-');

test('kill -9 of the service takes its redis-server along; the next start runs exactly one on the same files', async () => {
  const dataDir = tempDir();
  const first = await start({ dataDir });
  const { redis } = privateRedis(dataDir);
  assert.deepEqual(redisServersOn(join(dataDir, 'redis')), [redis]);
  await first.stop('SIGKILL');
  await waitFor(async () => !isAlive(redis), 'the orphaned redis-server to exit', 5_000);

  const second = await start({ dataDir, adminKey: first.adminKey });
  assert.equal((await call(second.url!, 'GET', '/readyz')).status, 200);
  assert.deepEqual(redisServersOn(join(dataDir, 'redis')), [privateRedis(dataDir).redis]);
  assert.equal(await second.stop('SIGTERM'), 0, second.output());
  assert.deepEqual(redisServersOn(join(dataDir, 'redis')), []);
});

test('a redis-server left on DATA_DIR by a dead service is stopped before a new one starts', async () => {
  const dataDir = tempDir();
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  // A leftover as a crash leaves it where the parent-death signal is not available: detached, with the
  // pid file of its service (a pid that no longer runs).
  const port = await freePort();
  const leftover = spawn(ensureRedisServer(), ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], {
    detached: true,
    stdio: 'ignore',
  });
  leftover.unref();
  await waitFor(async () => redisServersOn(dir).includes(leftover.pid!), 'the leftover redis-server to run');
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => dead.once('exit', r));
  writeFileSync(join(dir, 'kates-redis.pid'), JSON.stringify({ service: dead.pid, redis: leftover.pid, port }));

  const svc = await start({ dataDir });
  assert.equal(isAlive(leftover.pid!), false);
  const now = privateRedis(dataDir);
  assert.notEqual(now.redis, leftover.pid);
  assert.deepEqual(redisServersOn(dir), [now.redis]);
  assert.match(svc.output(), /stopping the redis-server left by a service that died/);
  assert.equal(await svc.stop('SIGTERM'), 0, svc.output());
});

test('a second service on the DATA_DIR of a running one refuses to start instead of sharing its files', async () => {
  const dataDir = tempDir();
  const first = await start({ dataDir });
  const second = await start({ dataDir }).then(
    () => assert.fail('the second service started'),
    (err: Error) => err.message,
  );
  assert.match(second, /in use by the redis-server .* of another running kates service/);
  assert.deepEqual(redisServersOn(join(dataDir, 'redis')), [privateRedis(dataDir).redis]);
  assert.equal((await call(first.url!, 'GET', '/readyz')).status, 200);
  assert.equal(await first.stop('SIGTERM'), 0, first.output());
});

for (const role of ['all', 'worker'] as const) {
  test(`SIGTERM with Redis gone ends a --role ${role} process within 10 s`, async () => {
    const redis = await plainRedis(await freePort());
    const svc = await start({ dataDir: tempDir(), role, env: { REDIS_URL: redis.url } });
    await redis.kill();
    // Long enough for the connections to notice and start reconnecting.
    await new Promise((r) => setTimeout(r, 1_500));
    const started = Date.now();
    const code = await svc.stop('SIGTERM');
    const ms = Date.now() - started;
    assert.ok(ms < 10_000, `took ${ms} ms`);
    assert.equal(code, 0, svc.output());
  });
}
