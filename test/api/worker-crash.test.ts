import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { waitFor } from '../helpers/wait.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { objects, operations, usageIntervals } from '../../src/store/schema/index.ts';
import { randomString } from '../../src/lib/ids.ts';
import { openSqlite } from '../../src/platform/sqlite.ts';
import type { Database } from '../../src/store/db.ts';
import { sharedRedis } from './helpers/redis.ts';
import { spawnWorker, type WorkerProcess } from './helpers/worker-process.ts';

/**
 * Worker processes killed (SIGKILL) in the middle of provisioning: another worker takes the job over
 * once its lock lapses, and the cluster converges with every node exactly once. Two kills on one
 * operation pass BullMQ's default stalled-job limit (1), which operations raise.
 *
 * A kill must land mid-job, so progress is read and the worker killed while the test holds SQLite's
 * write lock: the worker cannot commit in between, so what was read is still true when it dies.
 */
const POOLS = 10;
const PER_POOL = 24;
const TOTAL = POOLS * PER_POOL;

let redis: Awaited<ReturnType<typeof sharedRedis>>;
let dataDir: string;
let env: Record<string, string>;
let api: Harness;
let token: string;
let freezer: Database | undefined;
const workers: WorkerProcess[] = [];

before(async () => {
  redis = await sharedRedis();
  dataDir = mkdtempSync(join(tmpdir(), 'kates-crash-'));
  // A one-second job lock so the take-over happens within seconds rather than BullMQ's default 30.
  env = { REDIS_URL: redis.url, QUEUE_PREFIX: `t${randomString(8)}`, JOB_LOCK_MS: '1000' };
  api = await startHarness({ role: 'api', dataDir, env });
  const admin = await api.adminToken();
  const tenant = await api.request('POST', '/v1/tenants', { token: admin, body: { name: 'big-spender', plan: 'enterprise' } });
  token = (await api.keyFor(tenant.body.id, admin, 'owner')).token;
  // On PostgreSQL there is no file lock to hold; the kills then race the job as best they can.
  if (!process.env.KATES_TEST_POSTGRES_URL) freezer = openSqlite(join(dataDir, 'kates.db'), { migrate: false });
});
after(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await freezer?.close();
  await api.stop();
  await redis.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const startWorker = () => {
  const w = spawnWorker({ ...env, DATA_DIR: dataDir });
  workers.push(w);
  return w;
};

async function progress(clusterId: string, operationId: string) {
  const db = (freezer ?? api.runtime.deps.database).db;
  const op = await db.select({ status: operations.status }).from(operations).where(eq(operations.id, operationId)).get();
  const nodes = await db
    .select({ n: sql<number>`count(*)` })
    .from(objects)
    .where(and(eq(objects.clusterId, clusterId), eq(objects.resource, 'nodes')))
    .get();
  return { status: op!.status, nodes: nodes!.n };
}

const bigCluster = () => ({
  name: `big-${randomString(5)}`,
  provider: 'eks',
  region: 'us-east-1',
  nodePools: Array.from({ length: POOLS }, (_, i) => ({ name: `pool-${i}`, instanceType: 'm5.large', count: PER_POOL })),
});

/** Starts a worker and SIGKILLs it once provisioning has begun but not ended (retrying if it was too quick). */
async function killMidJob(target?: { id: string; operationId: string }): Promise<{ id: string; operationId: string }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const worker = startWorker();
    let ids = target;
    if (!ids) {
      const created = await api.request('POST', '/v1/clusters', { token, body: bigCluster() });
      assert.equal(created.status, 202, created.text);
      ids = { id: created.body.id as string, operationId: created.body.operation.id as string };
    }
    const before = (await progress(ids.id, ids.operationId)).nodes;
    const killed = await waitFor(
      () =>
        whileFrozen(async () => {
          const p = await progress(ids!.id, ids!.operationId);
          if (p.status === 'SUCCEEDED') return 'too late';
          if (p.status !== 'RUNNING' || p.nodes <= before) return false;
          await worker.stop('SIGKILL');
          return p.nodes < TOTAL ? 'mid-job' : 'too late';
        }),
      'provisioning to progress',
      30_000,
      10,
    ).catch((err) => assert.fail(`${err}\n${worker.output()}`));
    await worker.stop('SIGKILL');
    if (killed === 'mid-job') return ids;
    if (target) break;
  }
  return assert.fail('could not kill a worker while an operation was running');
}

/** Runs `fn` holding SQLite's write lock (no worker commits meanwhile), or plainly on PostgreSQL. */
async function whileFrozen<T>(fn: () => Promise<T>): Promise<T> {
  const client = (freezer?.db as { $client?: { exec(sql: string): void } } | undefined)?.$client;
  client?.exec('BEGIN IMMEDIATE');
  try {
    return await fn();
  } finally {
    client?.exec('ROLLBACK');
  }
}

async function assertConverged(victim: { id: string; operationId: string }) {
  const rescuer = startWorker();
  await api
    .waitFor(async () => (await api.request('GET', `/v1/clusters/${victim.id}`, { token })).body.status === 'RUNNING', 'the cluster to converge', 30_000)
    .catch((err) => assert.fail(`${err}\n${rescuer.output()}`));
  // The operation finishes just after the cluster reads RUNNING (its controllers are woken in between).
  const finished = async () => {
    const op = await api.request('GET', `/v1/operations/${victim.operationId}`, { token });
    return op.body.status !== 'RUNNING' && op.body.status !== 'PENDING';
  };
  await api.waitFor(finished, 'the operation to finish', 10_000);
  const op = await api.request('GET', `/v1/operations/${victim.operationId}`, { token });
  assert.equal(op.body.status, 'SUCCEEDED');
  assert.equal(op.body.error, null);

  // Every node once, with one open billing interval each.
  const nodes = (await api.runtime.deps.store.list(victim.id, 'nodes')).items;
  assert.equal(nodes.length, TOTAL);
  assert.equal(new Set(nodes.map((n) => n.metadata.name)).size, TOTAL);
  const open = await api.runtime.deps.database.db
    .select({ subject: usageIntervals.subject })
    .from(usageIntervals)
    .where(and(eq(usageIntervals.clusterId, victim.id), eq(usageIntervals.kind, 'node'), isNull(usageIntervals.endedAt)))
    .all();
  assert.equal(open.length, TOTAL);
  assert.equal(new Set(open.map((o) => o.subject)).size, TOTAL);
  return rescuer;
}

test('SIGKILL mid-provisioning, twice on the same operation: the next worker takes the job over each time and the cluster converges', async () => {
  const victim = await killMidJob();
  // The second worker has resumed the job (more nodes appeared) when it is killed in turn.
  await killMidJob(victim);
  const rescuer = await assertConverged(victim);
  // A graceful stop exits cleanly.
  assert.equal(await rescuer.stop('SIGTERM'), 0, rescuer.output());
});
