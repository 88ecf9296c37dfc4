import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/platform/redis.ts';
import { waitFor } from '../helpers/wait.ts';
import { call, isAlive, ownerToken, privateRedis, serviceFixture } from './helpers/service-process.ts';
import { assertFailsFast, holdPortWhenFree, plainRedis } from './helpers/redis-outage.ts';
import { createDeployment, deploymentsPath, newestLeaseRenewal, rolledOut, runningCluster, setImage } from './helpers/rollout.ts';

/**
 * Redis dies under a running service (its private redis-server, or an external REDIS_URL): requests
 * fail fast with 503 and /readyz says so while it is away, and the work in flight (a Deployment
 * rollout, a cluster being provisioned) completes by itself once it is back.
 */
const { tempDir, start } = serviceFixture('kates-outage-');

test('kill -9 of the private redis-server mid-rollout: 503 while it is down, the service restarts it, the rollout completes', async () => {
  const dataDir = tempDir();
  const svc = await start({ dataDir });
  const token = await ownerToken(svc);
  const cluster = await runningCluster(svc, token);
  await createDeployment(svc, cluster.id, cluster.clusterToken, 'web', 6, 'nginx:1.25');
  await rolledOut(svc, cluster.id, cluster.clusterToken, 'web', 'nginx:1.25');

  await setImage(svc, cluster.id, cluster.clusterToken, 'web', 'nginx:1.26');
  const before = privateRedis(dataDir);
  process.kill(before.redis, 'SIGKILL');
  // Hold its port so the supervisor's restarts fail until we let go: the outage lasts long enough to look at.
  const holder = await holdPortWhenFree(before.port);
  try {
    await assertFailsFast(svc, token, deploymentsPath(cluster.id), cluster.clusterToken, assert);
  } finally {
    holder.close();
  }

  // The supervisor's next attempt (back-off at most 5 s) brings it back on the same port and files.
  await waitFor(async () => (await call(svc.url!, 'GET', '/readyz')).status === 200, '/readyz 200 again', 20_000).catch((err) =>
    assert.fail(`${err}\n${svc.output()}`),
  );
  const restarted = privateRedis(dataDir);
  assert.notEqual(restarted.redis, before.redis);
  assert.equal(restarted.port, before.port);
  assert.ok(isAlive(restarted.redis));
  assert.match(svc.output(), /the private redis-server exited: restarting it/);

  const done = await rolledOut(svc, cluster.id, cluster.clusterToken, 'web', 'nginx:1.26');
  assert.deepEqual(done.images, Array(6).fill('nginx:1.26'));
  const rs = (await call(svc.url!, 'GET', `/clusters/${cluster.id}/k8s/apis/apps/v1/namespaces/default/replicasets`, { token: cluster.clusterToken })).body
    .items as any[];
  assert.deepEqual(rs.map((r) => r.spec.replicas).sort(), [0, 6]);

  // A graceful stop takes its redis-server along and removes the pid file.
  assert.equal(await svc.stop('SIGTERM'), 0, svc.output());
  await waitFor(async () => !isAlive(restarted.redis), 'the redis-server to stop', 5_000);
  assert.equal(existsSync(join(dataDir, 'redis', 'kates-redis.pid')), false);
});

test('an external REDIS_URL that goes away and comes back empty: 503 meanwhile, then provisioning, a rollout and periodic work resume', async () => {
  const port = await freePort();
  let redis = await plainRedis(port);
  const svc = await start({ dataDir: tempDir(), env: { REDIS_URL: redis.url, JOB_LOCK_MS: '1000' } });
  const token = await ownerToken(svc);
  // A 60x clock: its nodes renew their leases every 10 cluster seconds, a sixth of a real second.
  const cluster = await runningCluster(svc, token, 60);
  await createDeployment(svc, cluster.id, cluster.clusterToken, 'api', 4, 'app:1');
  await rolledOut(svc, cluster.id, cluster.clusterToken, 'api', 'app:1');
  const leasesRenewed = async () => {
    const renewed = await newestLeaseRenewal(svc, cluster.id, cluster.clusterToken);
    await waitFor(async () => (await newestLeaseRenewal(svc, cluster.id, cluster.clusterToken)) > renewed, 'node leases to be renewed again', 10_000);
  };
  /** Redis goes away and comes back without its data: every queue, job, wake-up mark, timer and schedule is gone. */
  const outage = async () => {
    await redis.kill();
    await assertFailsFast(svc, token, deploymentsPath(cluster.id), cluster.clusterToken, assert);
    redis = await plainRedis(port);
    await waitFor(async () => (await call(svc.url!, 'GET', '/readyz')).status === 200, '/readyz 200 again', 15_000);
  };

  try {
    // Work in flight when Redis goes: a rollout and a cluster being provisioned.
    await setImage(svc, cluster.id, cluster.clusterToken, 'api', 'app:2');
    const second = await call(svc.url!, 'POST', '/v1/clusters', {
      token,
      body: { name: 'second', provider: 'gke', region: 'europe-west1', nodePools: [{ name: 'default', instanceType: 'e2-standard-4', count: 2 }] },
    });
    assert.equal(second.status, 202);
    await outage();
    const done = await rolledOut(svc, cluster.id, cluster.clusterToken, 'api', 'app:2');
    assert.deepEqual(done.images, Array(4).fill('app:2'));
    await waitFor(
      async () => (await call(svc.url!, 'GET', `/v1/clusters/${second.body.id}`, { token })).body.status === 'RUNNING',
      'the second cluster RUNNING',
      60_000,
    );
    const op = await call(svc.url!, 'GET', `/v1/operations/${second.body.operation.id}`, { token });
    assert.equal(op.body.status, 'SUCCEEDED');
    await leasesRenewed();

    // Again at a quiet moment, when no pass is left to write (and so wake anything) after Redis is back:
    // the periodic work (the global tick and the heartbeats' timers lived in Redis) still resumes.
    await new Promise((r) => setTimeout(r, 1_000));
    await outage();
    await leasesRenewed();
    assert.equal(await svc.stop('SIGTERM'), 0, svc.output());
  } finally {
    await redis.kill();
  }
});

test('API and worker processes apart on an external Redis that comes back empty: the worker re-wakes the clusters, the rollout and heartbeats resume', async () => {
  const port = await freePort();
  let redis = await plainRedis(port);
  const dataDir = tempDir();
  const env = { REDIS_URL: redis.url, QUEUE_PREFIX: `t${Date.now().toString(36)}`, JOB_LOCK_MS: '1000' };
  const api = await start({ dataDir, role: 'api', env });
  const worker = await start({ dataDir, role: 'worker', env, adminKey: api.adminKey });
  try {
    const token = await ownerToken(api);
    const cluster = await runningCluster(api, token, 60);
    await createDeployment(api, cluster.id, cluster.clusterToken, 'web', 3, 'web:1');
    await rolledOut(api, cluster.id, cluster.clusterToken, 'web', 'web:1');
    await setImage(api, cluster.id, cluster.clusterToken, 'web', 'web:2');

    await redis.kill();
    await assertFailsFast(api, token, deploymentsPath(cluster.id), cluster.clusterToken, assert);
    redis = await plainRedis(port);
    await waitFor(async () => (await call(api.url!, 'GET', '/readyz')).status === 200, '/readyz 200 again', 15_000);

    const done = await rolledOut(api, cluster.id, cluster.clusterToken, 'web', 'web:2');
    assert.deepEqual(done.images, Array(3).fill('web:2'));
    const renewed = await newestLeaseRenewal(api, cluster.id, cluster.clusterToken);
    await waitFor(async () => (await newestLeaseRenewal(api, cluster.id, cluster.clusterToken)) > renewed, 'node leases to be renewed again', 10_000);
    for (const svc of [api, worker]) assert.equal(await svc.stop('SIGTERM'), 0, svc.output());
  } finally {
    await redis.kill();
  }
});
