/**
 * Tenant isolation: the time a 1-pod Deployment in one cluster takes to reach a Running pod while
 * another tenant's cluster churns 5,000 pods (a 5,000-replica Deployment rolling its image over
 * and over), against the same measurement on a quiet service; and the p99 of the quiet tenant's
 * `GET` through its Kubernetes API meanwhile. One process runs API and workers.
 *
 *   [WORKER_CONCURRENCY=16] npx tsx bench/controllers-noisy-neighbor.ts [--pods 5000] [--probes 10]
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startHarness, type Harness } from '../test/helpers/harness.ts';
import type { KubeObject } from '../src/kube/types.ts';
import { isPodActive } from '../src/controllers/shared/pod-state.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const PODS = arg('pods', 5000);
const PROBES = arg('probes', 10);

const deployment = (name: string, replicas: number, image = 'nginx:1.27'): KubeObject => ({
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

/** Creates `probe-<i>`, waits for its pod to run, deletes it; returns the milliseconds it took. */
async function probe(h: Harness, clusterId: string, i: number): Promise<number> {
  const store = h.runtime.deps.store;
  const name = `probe-${i}`;
  let resolve: () => void = () => {};
  const running = new Promise<void>((r) => (resolve = r));
  store.onCommit((cid, events) => {
    if (cid !== clusterId) return;
    if (events.some((e) => e.resource === 'pods' && e.object.metadata.labels?.app === name && e.object.status?.phase === 'Running')) resolve();
  });
  const t0 = performance.now();
  await store.create(clusterId, 'deployments.apps', deployment(name, 1));
  await Promise.race([running, new Promise((r) => setTimeout(r, 30_000))]);
  const ms = performance.now() - t0;
  await store.delete(clusterId, 'deployments.apps', 'default', name);
  return ms;
}

async function probes(h: Harness, clusterId: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    out.push(await probe(h, clusterId, out.length + Math.floor(Math.random() * 1e6)));
    await new Promise((r) => setTimeout(r, 500));
  }
  return out.sort((a, b) => a - b);
}

/** Latencies (ms, sorted) of the quiet tenant's GETs, one every 50 ms, while `during` runs. */
async function withReads<T>(h: Harness, kubeToken: string, clusterId: string, during: () => Promise<T>): Promise<{ result: T; gets: number[] }> {
  const gets: number[] = [];
  let done = false;
  const reader = (async () => {
    while (!done) {
      const t0 = performance.now();
      await h.request('GET', `/clusters/${clusterId}/k8s/api/v1/namespaces/default`, { token: kubeToken, noContract: true });
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
const fmtGets = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms (${xs.length} GETs)`;
const fmt = (xs: number[]) => `p50 ${(xs[Math.floor(xs.length / 2)] / 1000).toFixed(2)} s, max ${(xs[xs.length - 1] / 1000).toFixed(2)} s`;

const h = await startHarness({ env: process.env.WORKER_CONCURRENCY ? { WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY } : {} });
try {
  const quiet = await h.tenant('quiet');
  const noisy = await h.tenant('noisy');
  const small = await h.runningCluster(quiet.token, {
    name: 'small',
    provider: 'eks',
    region: 'us-east-1',
    nodePools: [{ name: 'p', instanceType: 'm5.large', count: 1 }],
  });
  const nodes = Math.ceil((PODS * 1.3) / 234);
  const big = await h.runningCluster(noisy.token, {
    name: 'big',
    provider: 'eks',
    region: 'us-east-1',
    nodePools: [{ name: 'p', instanceType: 'm5.4xlarge', count: nodes, maxCount: nodes }],
  });

  const kubeToken = /token: (\S+)/.exec((await h.request('GET', `/v1/clusters/${small.id}/kubeconfig`, { token: quiet.token })).text)![1];
  const quietRun = await withReads(h, kubeToken, small.id, () => probes(h, small.id));
  const baseline = quietRun.result;

  const store = h.runtime.deps.store;
  await store.create(big.id, 'deployments.apps', deployment('churn', PODS));
  await h.waitFor(
    async () => {
      const pods = await store.list(big.id, 'pods', { namespace: 'default' });
      return pods.items.filter((p) => isPodActive(p) && p.status?.phase === 'Running').length >= PODS;
    },
    `${PODS} churn pods Running`,
    300_000,
  );
  // Keep the big cluster busy: a new image every few seconds keeps a rollout of 5,000 pods going.
  let stop = false;
  let rollouts = 0;
  const churn = (async () => {
    while (!stop) {
      const d = await store.mustGet(big.id, 'deployments.apps', 'default', 'churn');
      d.spec.template.spec.containers[0].image = `nginx:1.${27 + (++rollouts % 2)}`;
      await store.update(big.id, 'deployments.apps', { ...d, metadata: { ...d.metadata, resourceVersion: undefined } });
      await new Promise((r) => setTimeout(r, 3000));
    }
  })();
  const t0 = performance.now();
  let podWrites = 0;
  store.onCommit((cid, events) => {
    if (cid === big.id) podWrites += events.filter((e) => e.resource === 'pods').length;
  });
  const noisyRun = await withReads(h, kubeToken, small.id, () => probes(h, small.id));
  const noisyProbes = noisyRun.result;
  const elapsed = (performance.now() - t0) / 1000;
  stop = true;
  await churn;

  console.log(
    `machine: ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; one process, worker concurrency ${h.runtime.deps.config.workerConcurrency}`,
  );
  console.log(`1-pod Deployment to Running, quiet service:            ${fmt(baseline)} (${PROBES} probes)`);
  console.log(`same while another tenant churns ${PODS} pods:        ${fmt(noisyProbes)} (target < 1 s)`);
  console.log(`quiet tenant's GET, quiet service:                   ${fmtGets(quietRun.gets)}`);
  console.log(`same while the other tenant churns:                 ${fmtGets(noisyRun.gets)} (target p99 < 200 ms)`);
  console.log(`the noisy cluster meanwhile: ${rollouts} rollouts started, ${(podWrites / elapsed).toFixed(0)} pod writes/s`);
} finally {
  await h.stop();
}
