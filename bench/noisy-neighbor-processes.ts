/**
 * Tenant isolation by process model: the quiet tenant's `GET` latency through its Kubernetes API, and
 * the time its 1-pod Deployment takes to reach a Running pod, while another tenant churns N pods (a
 * N-replica Deployment rolling its image every 3 s), for each way of running the service, in one run:
 *
 *   default  `npm start`: the API in one process, the workers in its supervised worker process (nice 10)
 *   flat     the same with WORKER_NICE=0 (the worker process at the API's priority)
 *   single   `WORKERS=inline npm start`: API and workers on one event loop (the earlier default)
 *   split    `npm start -- --role api` beside `npm start -- --role worker`
 *
 * Each service is a real child process (`node --import tsx src/main.ts`, plain HTTP) driven only over
 * HTTP, so the bench's own work never shares the service's loop.
 *
 *   [WORKER_CONCURRENCY=16] npx tsx bench/noisy-neighbor-processes.ts [--pods 2000,5000] [--modes default,single,split] [--probes 10] [--rounds 1] [--profile DIR]
 */
import { cpus } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { call, ownerToken, privateRedis, startService, type ServiceProcess } from '../test/runtime/helpers/service-process.ts';
import { waitFor } from '../test/helpers/wait.ts';
import { randomString } from '../src/lib/ids.ts';

const flag = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const SIZES = flag('pods', '2000,5000').split(',').map(Number);
const MODES = flag('modes', 'default,single,split').split(',') as Mode[];
const PROBES = Number(flag('probes', '10'));
/** Rounds per size, the modes interleaved in each, so a busy spell of a shared machine hits all alike. */
const ROUNDS = Number(flag('rounds', '1'));
/** `--profile DIR`: every service process (a worker process too) writes a V8 CPU profile there. */
const PROFILE = flag('profile', '');
const nodeArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];

type Mode = 'default' | 'flat' | 'single' | 'split';

/** The service in `mode`, on a fresh data dir: the URL to talk to and a stop for all its processes. */
async function startMode(mode: Mode, dataDir: string): Promise<{ url: string; adminKey: string; stop(): Promise<void> }> {
  const env = { KUBE_RATE_LIMIT_PER_MINUTE: '1000000', QUEUE_PREFIX: `b${randomString(6)}` };
  const procs: ServiceProcess[] = [];
  const stop = async () => void (await Promise.all(procs.map((p) => p.stop('SIGTERM'))));
  if (mode === 'split') {
    const api = await startService({ dataDir, role: 'api', env, nodeArgs });
    procs.push(api);
    procs.push(
      await startService({
        dataDir,
        role: 'worker',
        nodeArgs,
        adminKey: api.adminKey,
        env: { ...env, REDIS_URL: `redis://127.0.0.1:${privateRedis(dataDir).port}` },
      }),
    );
    return { url: api.url!, adminKey: api.adminKey, stop: async () => void (await Promise.all(procs.reverse().map((p) => p.stop('SIGTERM')))) };
  }
  const svc = await startService({
    dataDir,
    nodeArgs,
    env: { ...env, WORKERS: mode === 'single' ? 'inline' : 'process', ...(mode === 'flat' ? { WORKER_NICE: '0' } : {}) },
  });
  procs.push(svc);
  return { url: svc.url!, adminKey: svc.adminKey, stop };
}

const deployment = (name: string, replicas: number, image = 'nginx:1.27') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name }, annotations: { 'kates.dev/image-pull-seconds': '0' } }, spec: { containers: [{ name: 'c', image }] } },
  },
});

interface Cluster {
  id: string;
  kube: string;
  token: string;
}

async function runningCluster(url: string, token: string, pool: Record<string, unknown>): Promise<Cluster> {
  const created = await call(url, 'POST', '/v1/clusters', {
    token,
    body: { name: `c-${randomString(5)}`, provider: 'eks', region: 'us-east-1', nodePools: [pool] },
  });
  if (created.status !== 202) throw new Error(`cluster creation: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  await waitFor(async () => (await call(url, 'GET', `/v1/clusters/${id}`, { token })).body.status === 'RUNNING', `cluster ${id} RUNNING`, 120_000, 250);
  const kubeconfig = (await call(url, 'GET', `/v1/clusters/${id}/kubeconfig`, { token })).body as string;
  return { id, kube: `/clusters/${id}/k8s`, token: /token: (\S+)/.exec(kubeconfig)![1] };
}

/** Creates `name`, waits for its pod to run, deletes it; returns the milliseconds it took. */
async function probe(url: string, c: Cluster, name: string): Promise<number> {
  const t0 = performance.now();
  // A service whose loop stalls past the Redis command timeout answers 503: counted, and tried again.
  for (;;) {
    const made = await call(url, 'POST', `${c.kube}/apis/apps/v1/namespaces/default/deployments`, { token: c.token, body: deployment(name, 1) });
    if (made.status === 201) break;
    if (made.status !== 503) throw new Error(`probe create: ${made.status} ${JSON.stringify(made.body)}`);
    unavailable++;
    await new Promise((r) => setTimeout(r, 1000));
  }
  await waitFor(
    async () => {
      const pods = await call(url, 'GET', `${c.kube}/api/v1/namespaces/default/pods?labelSelector=app%3D${name}`, { token: c.token });
      return (pods.body.items ?? []).some((p: any) => p.status?.phase === 'Running');
    },
    `${name} Running`,
    60_000,
    50,
  );
  const ms = performance.now() - t0;
  await call(url, 'DELETE', `${c.kube}/apis/apps/v1/namespaces/default/deployments/${name}`, { token: c.token });
  return ms;
}

async function probes(url: string, c: Cluster): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    out.push(await probe(url, c, `probe-${randomString(6)}`));
    await new Promise((r) => setTimeout(r, 500));
  }
  return out.sort((a, b) => a - b);
}

/** 503 answers the quiet tenant got in the current run. */
let unavailable = 0;

/** Latencies (ms, sorted) of the quiet tenant's GETs, one every 50 ms, while `during` runs. */
async function withReads<T>(url: string, c: Cluster, during: () => Promise<T>): Promise<{ result: T; gets: number[] }> {
  const gets: number[] = [];
  let done = false;
  const reader = (async () => {
    while (!done) {
      const t0 = performance.now();
      if ((await call(url, 'GET', `${c.kube}/api/v1/namespaces/default`, { token: c.token })).status === 503) unavailable++;
      gets.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  let result: T;
  try {
    result = await during();
  } finally {
    done = true;
    await reader;
  }
  return { result, gets: gets.sort((a, b) => a - b) };
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Row {
  mode: Mode;
  pods: number;
  quietGets: number[];
  noisyGets: number[];
  quietProbes: number[];
  noisyProbes: number[];
  rollouts: number;
  unavailable: number;
}

async function measure(mode: Mode, pods: number): Promise<Row> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kates-bench-'));
  const svc = await startMode(mode, dataDir);
  unavailable = 0;
  try {
    const quietToken = await ownerToken({ url: svc.url, adminKey: svc.adminKey } as ServiceProcess);
    const noisyToken = await ownerToken({ url: svc.url, adminKey: svc.adminKey } as ServiceProcess);
    const small = await runningCluster(svc.url, quietToken, { name: 'p', instanceType: 'm5.large', count: 1 });
    const nodes = Math.ceil((pods * 1.3) / 234);
    const big = await runningCluster(svc.url, noisyToken, { name: 'p', instanceType: 'm5.4xlarge', count: nodes, maxCount: nodes });

    const quiet = await withReads(svc.url, small, () => probes(svc.url, small));

    const churnPath = `${big.kube}/apis/apps/v1/namespaces/default/deployments`;
    const made = await call(svc.url, 'POST', churnPath, { token: big.token, body: deployment('churn', pods) });
    if (made.status !== 201) throw new Error(`churn create: ${made.status} ${JSON.stringify(made.body)}`);
    await waitFor(
      async () => ((await call(svc.url, 'GET', `${churnPath}/churn`, { token: big.token })).body.status?.availableReplicas ?? 0) >= pods,
      `${pods} churn pods available`,
      900_000,
      2_000,
    );
    // Keep the big cluster busy: a new image every 3 s keeps a rollout of all its pods going.
    let stop = false;
    let rollouts = 0;
    const churn = (async () => {
      while (!stop) {
        const image = `nginx:1.${27 + (++rollouts % 2)}`;
        await call(svc.url, 'PATCH', `${churnPath}/churn`, {
          token: big.token,
          contentType: 'application/merge-patch+json',
          body: { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } },
        });
        await new Promise((r) => setTimeout(r, 3000));
      }
    })();
    const noisy = await withReads(svc.url, small, () => probes(svc.url, small));
    stop = true;
    await churn;
    return { mode, pods, quietGets: quiet.gets, noisyGets: noisy.gets, quietProbes: quiet.result, noisyProbes: noisy.result, rollouts, unavailable };
  } finally {
    await svc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const label: Record<Mode, string> = {
  default: 'npm start (workers in their own process, nice 10)',
  flat: 'npm start, WORKER_NICE=0',
  single: 'WORKERS=inline (one event loop)',
  split: '--role api + --role worker',
};

const rows: Row[] = [];
const perRound = new Map<string, number[]>();
for (const pods of SIZES) {
  const merged = new Map<Mode, Row>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of MODES) {
      const row = await measure(mode, pods);
      console.log(
        `[${pods} pods, ${mode}, round ${round + 1}] GET p50 ${pct(row.noisyGets, 50).toFixed(0)} ms, p99 ${pct(row.noisyGets, 99).toFixed(0)} ms (quiet p99 ${pct(row.quietGets, 99).toFixed(0)} ms)`,
      );
      const key = `${pods}/${mode}`;
      perRound.set(key, [...(perRound.get(key) ?? []), pct(row.noisyGets, 99)]);
      const m = merged.get(mode);
      merged.set(
        mode,
        m
          ? {
              ...m,
              quietGets: [...m.quietGets, ...row.quietGets],
              noisyGets: [...m.noisyGets, ...row.noisyGets],
              quietProbes: [...m.quietProbes, ...row.quietProbes],
              noisyProbes: [...m.noisyProbes, ...row.noisyProbes],
              rollouts: m.rollouts + row.rollouts,
              unavailable: m.unavailable + row.unavailable,
            }
          : row,
      );
    }
  }
  for (const mode of MODES) {
    const m = merged.get(mode)!;
    for (const xs of [m.quietGets, m.noisyGets, m.quietProbes, m.noisyProbes]) xs.sort((a, b) => a - b);
    rows.push(m);
  }
}

console.log(
  `\nmachine: ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; worker concurrency ${process.env.WORKER_CONCURRENCY ?? 16}; ${PROBES} probes per phase`,
);
console.log("the quiet tenant's GET through its Kubernetes API (one every 50 ms) and its 1-pod Deployment to Running, quiet vs while another tenant churns:");
console.log(`(${ROUNDS} round(s) per size, modes interleaved; figures over all rounds, and the churn p99 of each round)`);
console.log(
  '| churn | process model | GET p50 / p99, quiet | GET p50 / p99, churn (target p99 < 200 ms) | churn p99 per round | to Running p50 / max, quiet | same, churn | rollouts | 503s |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const gets = (xs: number[]) => `${pct(xs, 50).toFixed(0)} / ${pct(xs, 99).toFixed(0)} ms (${xs.length})`;
  const runs = (xs: number[]) => `${s(pct(xs, 50))} / ${s(xs[xs.length - 1])}`;
  const rounds = perRound
    .get(`${r.pods}/${r.mode}`)!
    .map((ms) => ms.toFixed(0))
    .join(', ');
  console.log(
    `| ${r.pods} pods | ${label[r.mode]} | ${gets(r.quietGets)} | ${gets(r.noisyGets)} | ${rounds} ms | ${runs(r.quietProbes)} | ${runs(r.noisyProbes)} | ${r.rollouts} | ${r.unavailable} |`,
  );
}
