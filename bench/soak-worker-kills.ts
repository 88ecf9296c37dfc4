/**
 * Soak: the service as separate `--role api` and `--role worker` processes over one SQLite file and
 * one Redis, a 1,000-pod Deployment churned (scaled down and up, rolled to new images) while the
 * worker process is killed with SIGKILL 10 times and started again. Then, once it converges:
 * - exact replica counts: 1,000 pods, all of the current ReplicaSet, old ReplicaSets at 0;
 * - no orphans: every pod's and ReplicaSet's controller exists;
 * - every node-second billed once: per node, usage intervals never overlap and exactly one is
 *   open while the node exists (pods and the cluster likewise never overlap);
 * - SQLite `PRAGMA integrity_check` is ok.
 * It also times another tenant's `GET` through its Kubernetes API, quiet and during the churn.
 *
 *   npx tsx bench/soak-worker-kills.ts [--pods 1000] [--kills 10] [--every 8]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

const argv = process.argv;
const arg = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i > 0 ? Number(argv[i + 1]) : dflt;
};
const PODS = arg('pods', 1000);
const KILLS = arg('kills', 10);
const EVERY_S = arg('every', 8);
const root = resolve(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'kates-soak-'));
const redisPort = await freePort();
const apiPort = await freePort();
const adminKey = `admin-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  REDIS_URL: `redis://127.0.0.1:${redisPort}`,
  KATES_ADMIN_KEY: adminKey,
  TLS: 'off',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  QUEUE_PREFIX: 'soak',
  TICK_MS: '500',
  BILLING_MS: '2000',
  // A killed worker's jobs go back to the queue after about twice this.
  JOB_LOCK_MS: '3000',
  RATE_LIMIT_PER_MINUTE: '1000000',
};
const children: ChildProcess[] = [];
const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
children.push(redis);

function start(role: 'api' | 'worker', port: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', role], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

const base = `http://127.0.0.1:${apiPort}`;
async function call(method: string, path: string, token?: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> {
  const r = await fetch(base + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': contentType } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: r.status, body: parsed };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 300_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      /* the API may be between answers */
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

function stopAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
process.on('exit', stopAll);

try {
  await sleep(300);
  const api = start('api', apiPort);
  await until('the API', async () => (await call('GET', '/healthz')).status === 200, 60_000);
  let worker = start('worker', await freePort());

  const admin = (await call('POST', '/v1/auth/token', undefined, { apiKey: adminKey })).body.accessToken;
  const tenant = (await call('POST', '/v1/tenants', admin, { name: 'soak' })).body;
  const key = (await call('POST', `/v1/tenants/${tenant.id}/api-keys`, admin, { name: 'soak', role: 'owner' })).body.key;
  const token = (await call('POST', '/v1/auth/token', undefined, { apiKey: key })).body.accessToken;
  // A quiet neighbour: another tenant whose reads are timed while this one churns.
  const quietTenant = (await call('POST', '/v1/tenants', admin, { name: 'quiet' })).body;
  const quietKey = (await call('POST', `/v1/tenants/${quietTenant.id}/api-keys`, admin, { name: 'quiet', role: 'owner' })).body.key;
  const quietToken = (await call('POST', '/v1/auth/token', undefined, { apiKey: quietKey })).body.accessToken;
  const quietCluster = (
    await call('POST', '/v1/clusters', quietToken, {
      name: 'quiet',
      provider: 'eks',
      region: 'us-east-1',
      nodePools: [{ name: 'p', instanceType: 'm5.large', count: 1 }],
    })
  ).body;
  await until('quiet cluster RUNNING', async () => (await call('GET', `/v1/clusters/${quietCluster.id}`, quietToken)).body.status === 'RUNNING');
  const quietKube = /token: (\S+)/.exec(
    await fetch(`${base}/v1/clusters/${quietCluster.id}/kubeconfig`, { headers: { authorization: `Bearer ${quietToken}` } }).then((r) => r.text()),
  )![1];
  const sampleGets = async (ms: number, stop?: () => boolean): Promise<number[]> => {
    const out: number[] = [];
    const end = Date.now() + ms;
    while (stop ? !stop() : Date.now() < end) {
      const t = performance.now();
      await call('GET', `/clusters/${quietCluster.id}/k8s/api/v1/namespaces/default`, quietKube);
      out.push(performance.now() - t);
      await sleep(50);
    }
    return out.sort((a, b) => a - b);
  };
  const quietGets = await sampleGets(5000);

  const nodes = Math.ceil((PODS * 1.3) / 234);
  const cluster = (
    await call('POST', '/v1/clusters', token, {
      name: 'soak',
      provider: 'eks',
      region: 'us-east-1',
      timeScale: 60,
      nodePools: [{ name: 'p', instanceType: 'm5.4xlarge', count: nodes }],
    })
  ).body;
  await until('cluster RUNNING', async () => (await call('GET', `/v1/clusters/${cluster.id}`, token)).body.status === 'RUNNING');
  const kubeconfig = await fetch(`${base}/v1/clusters/${cluster.id}/kubeconfig`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
  const kubeToken = /token: (\S+)/.exec(kubeconfig)![1];
  const kube = (method: string, path: string, body?: unknown, type?: string) => call(method, `/clusters/${cluster.id}/k8s${path}`, kubeToken, body, type);
  const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
  const patch = (spec: unknown) => kube('PATCH', `${DEPLOY}/churn`, { spec }, 'application/merge-patch+json');

  const t0 = performance.now();
  await kube('POST', DEPLOY, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'churn' },
    spec: {
      replicas: PODS,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      selector: { matchLabels: { app: 'churn' } },
      template: {
        metadata: { labels: { app: 'churn' }, annotations: { 'kates.dev/image-pull-seconds': '0' } },
        spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'c', image: 'nginx:1.0' }] },
      },
    },
  });

  // Churn: scale down and up, roll to new images, a step every few seconds, until the kills end.
  let churning = true;
  let steps = 0;
  let image = 0;
  const churn = (async () => {
    const plan = [
      () => patch({ replicas: Math.floor(PODS / 3) }),
      () => patch({ replicas: PODS }),
      () => patch({ template: { spec: { containers: [{ name: 'c', image: `nginx:1.${++image}` }] } } }),
    ];
    while (churning) {
      await plan[steps++ % plan.length]().catch(() => undefined);
      await sleep(3000);
    }
    await patch({ replicas: PODS, template: { spec: { containers: [{ name: 'c', image: `nginx:1.${++image}` }] } } });
  })();

  let soaking = true;
  const busyGets = sampleGets(0, () => !soaking);
  const killedAt: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    await sleep(EVERY_S * 1000 * (0.5 + Math.random()));
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    killedAt.push(performance.now());
    await sleep(500);
    worker = start('worker', await freePort());
  }
  churning = false;
  await churn;
  const lastKill = performance.now();

  const converged = await until(
    'convergence',
    async () => {
      const d = (await kube('GET', `${DEPLOY}/churn`)).body;
      const s = d.status ?? {};
      const done = s.observedGeneration === d.metadata.generation && s.replicas === PODS && s.updatedReplicas === PODS && s.availableReplicas === PODS;
      if (!done) return false;
      const pods = (await kube('GET', '/api/v1/namespaces/default/pods')).body.items;
      return pods.length === PODS ? d : false;
    },
    600_000,
  );
  const convergeS = (performance.now() - lastKill) / 1000;
  soaking = false;
  const churnGets = await busyGets;
  const totalS = (performance.now() - t0) / 1000;

  // Stop cleanly, then read the database as it is left.
  worker.kill('SIGTERM');
  api.kill('SIGTERM');
  await Promise.all([worker, api].map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));

  const db = new Database(join(dataDir, 'kates.db'), { readonly: true });
  const rows = (resource: string) =>
    (db.prepare('SELECT body FROM objects WHERE cluster_id = ? AND resource = ?').all(cluster.id, resource) as { body: string }[]).map((r) =>
      JSON.parse(r.body),
    );
  const pods = rows('pods');
  const replicaSets = rows('replicasets.apps');
  const deployments = rows('deployments.apps');
  const nodeObjects = rows('nodes');
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  };

  const uids = (xs: any[]) => new Set(xs.map((x) => x.metadata.uid));
  const controller = (o: any) => (o.metadata.ownerReferences ?? []).find((r: any) => r.controller);
  const hash = converged.metadata.annotations?.['deployment.kubernetes.io/revision'];
  const current = replicaSets.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === hash);
  check(pods.length === PODS, `exactly ${PODS} pods stored (found ${pods.length})`);
  check(!!current && pods.every((p) => controller(p)?.uid === current.metadata.uid), 'every pod belongs to the current ReplicaSet');
  check(
    !!current && current.spec.replicas === PODS && replicaSets.filter((rs) => rs !== current).every((rs) => rs.spec.replicas === 0),
    `current ReplicaSet at ${PODS}, ${replicaSets.length - 1} old ones at 0`,
  );
  const rsUids = uids(replicaSets);
  const deployUids = uids(deployments);
  check(
    pods.every((p) => rsUids.has(controller(p)?.uid)),
    'no orphan pods',
  );
  check(
    replicaSets.every((rs) => deployUids.has(controller(rs)?.uid)),
    'no orphan ReplicaSets',
  );

  const intervals = db
    .prepare('SELECT kind, subject, started_at AS s, ended_at AS e FROM usage_intervals WHERE cluster_id = ? ORDER BY kind, subject, started_at')
    .all(cluster.id) as { kind: string; subject: string; s: number; e: number | null }[];
  const bySubject = new Map<string, typeof intervals>();
  for (const i of intervals) bySubject.set(`${i.kind}/${i.subject}`, [...(bySubject.get(`${i.kind}/${i.subject}`) ?? []), i]);
  let overlaps = 0;
  let doubleOpen = 0;
  for (const list of bySubject.values()) {
    for (let i = 1; i < list.length; i++) if (list[i - 1].e === null || list[i - 1].e! > list[i].s) overlaps++;
    if (list.filter((x) => x.e === null).length > 1) doubleOpen++;
  }
  const openNodes = new Set(intervals.filter((i) => i.kind === 'node' && i.e === null).map((i) => i.subject));
  const nodeNames = new Set(nodeObjects.map((n) => n.metadata.name));
  check(overlaps === 0 && doubleOpen === 0, `no usage interval overlaps another of its subject (${intervals.length} intervals, ${bySubject.size} subjects)`);
  check(
    openNodes.size === nodeNames.size && [...nodeNames].every((n) => openNodes.has(n)),
    `every node has exactly one open interval (${nodeNames.size} nodes, ${openNodes.size} open)`,
  );
  const integrity = (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
  check(integrity === 'ok', `PRAGMA integrity_check: ${integrity}`);
  const created = (
    db.prepare("SELECT count(*) AS n FROM watch_events WHERE cluster_id = ? AND resource = 'pods' AND type = 'ADDED'").get(cluster.id) as { n: number }
  ).n;
  db.close();

  console.log(
    `soak: ${KILLS} worker kills (SIGKILL) over ${((lastKill - killedAt[0]) / 1000).toFixed(0)} s of churn (${steps} scale/rollout steps, ${image} images); ≥ ${created} pods created in all`,
  );
  console.log(`converged ${convergeS.toFixed(1)} s after the last kill; whole soak ${totalS.toFixed(0)} s`);
  const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))].toFixed(0);
  console.log(
    `another tenant's GET (API in its own process), quiet: p50 ${pct(quietGets, 50)} ms, p99 ${pct(quietGets, 99)} ms (${quietGets.length}); during the churn and kills: p50 ${pct(churnGets, 50)} ms, p99 ${pct(churnGets, 99)} ms (${churnGets.length})`,
  );
  console.log(failures.length ? `${failures.length} invariant(s) FAILED` : 'all invariants hold');
  process.exitCode = failures.length ? 1 : 0;
} finally {
  stopAll();
  await sleep(200);
  rmSync(dataDir, { recursive: true, force: true });
}
