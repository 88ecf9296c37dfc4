import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';
import { QUEUES } from '../../src/platform/bullmq.ts';
import { randomString } from '../../src/lib/ids.ts';
import { sharedRedis } from './helpers/redis.ts';

/**
 * The service stops while clusters are PROVISIONING (an API-only process accepted them, no worker ran)
 * and a full service starts on the same database and Redis: nothing is lost, they end RUNNING.
 */
let redis: Awaited<ReturnType<typeof sharedRedis>>;
let dataDir: string;
let env: Record<string, string>;
const running: Harness[] = [];

before(async () => {
  redis = await sharedRedis();
  dataDir = mkdtempSync(join(tmpdir(), 'kates-restart-'));
  env = { REDIS_URL: redis.url, QUEUE_PREFIX: `t${randomString(8)}` };
});
after(async () => {
  for (const h of running) await h.stop();
  await redis.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(role: 'api' | 'all') {
  const h = await startHarness({ role, dataDir, env });
  running.push(h);
  return h;
}
async function stop(h: Harness) {
  running.splice(running.indexOf(h), 1);
  await h.stop();
}

test('clusters accepted before a restart are provisioned after it, whether their jobs survived in Redis or not', async () => {
  const first = await start('api');
  const owner = await first.tenant();
  const queued = await first.request('POST', '/v1/clusters', { token: owner.token, body: defaultClusterBody() });
  const lost = await first.request('POST', '/v1/clusters', { token: owner.token, body: defaultClusterBody() });
  assert.equal(queued.body.status, 'PROVISIONING');
  assert.equal((await first.request('GET', `/v1/operations/${queued.body.operation.id}`, { token: owner.token })).body.status, 'PENDING');
  // One job vanishes from Redis (as after a Redis restart without persistence); its operation is still in SQL.
  assert.equal(await first.runtime.transport.operationsQueue.remove(`op-${lost.body.operation.id}`), 1);
  await stop(first);

  const second = await start('all');
  for (const created of [queued, lost]) {
    // The owner's token from before the restart still verifies: the signing keys live in SQL.
    const cluster = await second.waitFor(async () => {
      const r = await second.request('GET', `/v1/clusters/${created.body.id}`, { token: owner.token });
      return r.body.status === 'RUNNING' && r.body;
    }, `${created.body.id} RUNNING`);
    assert.equal(cluster.nodePools[0].count, 3);
    assert.equal((await second.runtime.deps.store.list(created.body.id, 'nodes')).items.length, 3);
    const op = await second.request('GET', `/v1/operations/${created.body.operation.id}`, { token: owner.token });
    assert.equal(op.body.status, 'SUCCEEDED');
  }
  const path = await second.kubeconfig(owner.token, queued.body.id);
  assert.equal((await second.kubectl(path, ['get', 'nodes', '-o', 'name'])).stdout.trim().split('\n').length, 3);
  await stop(second);
});

test('a deletion accepted before a restart completes after it', async () => {
  const full = await start('all');
  const owner = await full.tenant();
  const cluster = await full.runningCluster(owner.token);
  await stop(full);
  const apiOnly = await start('api');
  const del = await apiOnly.request('DELETE', `/v1/clusters/${cluster.id}`, { token: owner.token });
  assert.equal(del.status, 202);
  await stop(apiOnly);
  const again = await start('all');
  await again.waitFor(async () => (await again.request('GET', `/v1/clusters/${cluster.id}`, { token: owner.token })).body.status === 'DELETED', 'DELETED');
  assert.equal((await again.runtime.deps.store.list(cluster.id, 'nodes')).items.length, 0);
  await stop(again);
});

test('an operation still open in SQL whose job already ended in Redis is run again at start', async () => {
  const apiOnly = await start('api');
  const owner = await apiOnly.tenant();
  const created = await apiOnly.request('POST', '/v1/clusters', { token: owner.token, body: defaultClusterBody() });
  // A worker takes the job and gives up on it for good without touching SQL (say its final write failed).
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const taker = new Worker(QUEUES.operations, null, { connection, prefix: env.QUEUE_PREFIX, autorun: false });
  const job = await taker.getNextJob('taker');
  assert.equal(job?.id, `op-${created.body.operation.id}`);
  await job!.moveToFailed(new UnrecoverableError('gave up'), 'taker');
  await taker.close();
  connection.disconnect();
  assert.equal(await apiOnly.runtime.transport.operationsQueue.getJobState(`op-${created.body.operation.id}`), 'failed');
  await stop(apiOnly);

  const full = await start('all');
  await full.waitFor(async () => (await full.request('GET', `/v1/clusters/${created.body.id}`, { token: owner.token })).body.status === 'RUNNING', 'RUNNING');
  // The operation reads SUCCEEDED in the write after the cluster's RUNNING (its controllers are woken between).
  await full.waitFor(
    async () => (await full.request('GET', `/v1/operations/${created.body.operation.id}`, { token: owner.token })).body.status === 'SUCCEEDED',
    'SUCCEEDED',
    10_000,
  );
});
