import { test } from 'node:test';
import { getPriority } from 'node:os';
import assert from 'node:assert/strict';
import { waitFor } from '../helpers/wait.ts';
import { call, isAlive, ownerToken, serviceFixture, workerProcessesOf, type ServiceProcess } from './helpers/service-process.ts';

/**
 * `npm start` serves the API in its own process and runs the workers in a supervised child process
 * (their own event loop): it restarts the worker process when it dies, and none outlives the service.
 */
const { tempDir, start } = serviceFixture('kates-worker-process-');

const cluster = { name: 'small', provider: 'eks', region: 'us-east-1', nodePools: [{ name: 'p', instanceType: 'm5.large', count: 1 }] };

async function createCluster(svc: ServiceProcess, token: string): Promise<{ id: string; operation: string }> {
  const r = await call(svc.url!, 'POST', '/v1/clusters', { token, body: { ...cluster, name: `c-${Date.now() % 100_000}` } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return { id: r.body.id, operation: r.body.operation.id };
}

const status = async (svc: ServiceProcess, token: string, id: string) => (await call(svc.url!, 'GET', `/v1/clusters/${id}`, { token })).body.status as string;

test('the workers run in a child process: the API answers while it is stopped, and a killed one is restarted and finishes the work', async () => {
  const svc = await start({ dataDir: tempDir(), env: { WORKER_NICE: '10' } });
  const [worker] = await waitFor(async () => workerProcessesOf(svc.child.pid!).length === 1 && workerProcessesOf(svc.child.pid!), 'the worker process', 30_000);
  await waitFor(async () => /"process":"worker".*kates workers running/.test(svc.output()), 'the worker process to run its workers', 30_000);
  assert.equal(getPriority(worker), Math.min(19, getPriority(svc.child.pid!) + 10), 'the worker process runs at a lower priority than the API (WORKER_NICE)');
  const token = await ownerToken(svc);

  // Frozen worker process: the API still answers, and nothing in the API's process runs the operation.
  process.kill(worker, 'SIGSTOP');
  const frozen = await createCluster(svc, token);
  assert.equal((await call(svc.url!, 'GET', '/readyz')).status, 200);
  await new Promise((r) => setTimeout(r, 1_500));
  assert.equal((await call(svc.url!, 'GET', `/v1/operations/${frozen.operation}`, { token })).body.status, 'PENDING');

  // Killed: the service starts another worker process, which takes the operation over.
  process.kill(worker, 'SIGKILL');
  const [next] = await waitFor(
    async () => {
      const now = workerProcessesOf(svc.child.pid!);
      return now.length === 1 && now[0] !== worker && now;
    },
    'a new worker process',
    30_000,
  );
  assert.match(svc.output(), /the worker process exited: restarting it/);
  await waitFor(async () => (await status(svc, token, frozen.id)) === 'RUNNING', 'the cluster to be RUNNING', 60_000, 250);

  // A SIGTERM stops both, cleanly.
  assert.equal(await svc.stop('SIGTERM'), 0, svc.output());
  assert.equal(isAlive(next), false, 'the worker process outlived the service');
});

test('kill -9 of the service: its worker process ends by itself', async () => {
  const svc = await start({ dataDir: tempDir() });
  const [worker] = await waitFor(async () => workerProcessesOf(svc.child.pid!).length === 1 && workerProcessesOf(svc.child.pid!), 'the worker process', 30_000);
  await svc.stop('SIGKILL');
  await waitFor(async () => !isAlive(worker), 'the orphaned worker process to exit', 12_000);
});

test('WORKERS=inline runs the workers on the API process itself', async () => {
  const svc = await start({ dataDir: tempDir(), env: { WORKERS: 'inline' } });
  const token = await ownerToken(svc);
  const c = await createCluster(svc, token);
  await waitFor(async () => (await status(svc, token, c.id)) === 'RUNNING', 'the cluster to be RUNNING', 60_000, 250);
  assert.deepEqual(workerProcessesOf(svc.child.pid!), []);
  assert.match(svc.output(), /"workers":"this process".*kates API listening/);
  assert.equal(await svc.stop('SIGTERM'), 0, svc.output());
});
