/**
 * Reconcile passes per second with 2 worker processes: this process serves the API only; two
 * `--role worker` processes share its SQLite file, Redis and queue prefix. Several clusters run
 * Deployments that are scaled up and down faster than the workers can follow, so the queue never
 * drains and the count is the workers' capacity; every completed reconcile job (any controller)
 * is counted from BullMQ's event stream over the measurement window.
 *
 *   npx tsx bench/controllers-passes.ts [--clusters 16] [--seconds 20] [--workers 2] [--interval-ms 5]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { startHarness } from '../test/helpers/harness.ts';
import type { KubeObject } from '../src/kube/types.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CLUSTERS = arg('clusters', 16);
const INTERVAL_MS = arg('interval-ms', 5);
const SECONDS = arg('seconds', 20);
const WORKERS = arg('workers', 2);
const DEPLOYMENTS = 4;

const h = await startHarness({ role: 'api' });
const config = h.runtime.deps.config;
const workers: ChildProcess[] = [];
const root = join(import.meta.dirname, '..');
for (let i = 0; i < WORKERS; i++) {
  workers.push(
    spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', 'worker'], {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: h.dataDir,
        DATABASE_PATH: config.databasePath,
        REDIS_URL: h.runtime.redisUrl,
        QUEUE_PREFIX: config.queuePrefix,
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    }),
  );
}

const deployment = (name: string, replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name }, annotations: { 'kates.dev/image-pull-seconds': '0' } },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
    },
  },
});

try {
  const owner = await h.tenant();
  const ids: string[] = [];
  for (let c = 0; c < CLUSTERS; c++) {
    const cl = await h.runningCluster(owner.token, {
      name: `passes-${c}`,
      provider: 'eks',
      region: 'us-east-1',
      nodePools: [{ name: 'p', instanceType: 'm5.xlarge', count: 3 }],
    });
    ids.push(cl.id);
    for (let d = 0; d < DEPLOYMENTS; d++) await h.runtime.deps.store.create(cl.id, 'deployments.apps', deployment(`app-${d}`, 5));
  }
  await new Promise((r) => setTimeout(r, 3000));

  const events = new QueueEvents('reconcile', { connection: { url: h.runtime.redisUrl }, prefix: config.queuePrefix });
  await events.waitUntilReady();
  const byController = new Map<string, number>();
  let completed = 0;
  let counting = false;
  const names = new Map<string, string>();
  events.on('added', ({ jobId, name }) => names.set(jobId, name));
  events.on('completed', ({ jobId }) => {
    if (!counting) return;
    completed++;
    const n = names.get(jobId) ?? '?';
    byController.set(n, (byController.get(n) ?? 0) + 1);
    names.delete(jobId);
  });

  // Churn: scale a random Deployment between 2 and 8 replicas every few milliseconds.
  counting = true;
  const started = Date.now();
  let scales = 0;
  while (Date.now() - started < SECONDS * 1000) {
    const cid = ids[Math.floor(Math.random() * ids.length)];
    const name = `app-${Math.floor(Math.random() * DEPLOYMENTS)}`;
    const d = await h.runtime.deps.store.get(cid, 'deployments.apps', 'default', name);
    if (d) {
      d.spec.replicas = 2 + Math.floor(Math.random() * 7);
      await h.runtime.deps.store.update(cid, 'deployments.apps', { ...d, metadata: { ...d.metadata, resourceVersion: undefined } });
      scales++;
    }
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
  }
  counting = false;
  const elapsed = (Date.now() - started) / 1000;
  const backlog = await h.runtime.transport.reconcileQueue.getWaitingCount();
  await events.close();
  console.log(`machine: ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  console.log(
    `${WORKERS} worker processes (concurrency ${config.workerConcurrency} each), ${CLUSTERS} clusters × ${DEPLOYMENTS} Deployments, ${scales} scale changes in ${elapsed.toFixed(1)} s`,
  );
  console.log(
    `reconcile passes: ${completed} in ${elapsed.toFixed(1)} s = ${(completed / elapsed).toFixed(0)} passes/s (${backlog} jobs still waiting: the workers were saturated)`,
  );
  const top = [...byController.entries()].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} ${(c / elapsed).toFixed(0)}/s`);
  console.log(`by controller: ${top.join(', ')}`);
} finally {
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.on('exit', r)))));
  await h.stop();
}
