/**
 * Latency of a quiet tenant's reads at a fixed 500 req/s (autocannon, HTTPS) while the workers roll
 * out a 1,000-pod Deployment in another tenant's cluster, beside the same reads on the same service
 * before the rollout starts (the baseline, same run). `GET /v1/clusters/{id}` and a Kubernetes `GET`
 * of one ConfigMap; target p99 under 25 ms. The service runs as one process (API and workers, the
 * workers in `npm start`'s supervised child at nice 10) or, with `--split`, as `--role api` and
 * `--role worker` processes over one database and Redis (the worker at `--worker-nice`, 10 unless
 * told, as on a shared machine; 0 runs both alike).
 *
 * `--against REF` first measures a checkout of REF the same way (a temporary git worktree), so each
 * figure prints beside the previous code's in the same run. `--cpu-prof DIR` writes V8 CPU profiles
 * of the service's processes into DIR.
 *
 *   npx tsx bench/request-path-rollout.ts [--split] [--pods 1000] [--rate 500] [--duration 10] [--against 25e5a9b] [--worker-nice 10] [--cpu-prof DIR]
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { baselineCheckout } from './baseline-checkout.ts';
import { machine } from './kube-server.ts';
import { arg, flag, load, show, sleep, startService, tenantWithCluster, type Load } from './request-kit.ts';

const PODS = arg('pods', 1000);
const RATE = arg('rate', 500);
const DURATION = arg('duration', 10);
const WORKER_NICE = arg('worker-nice', 10);
const split = flag('split');
const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const cpuProf = option('cpu-prof');
const against = option('against');

interface Result {
  quiet: Load[];
  during: Load[];
  rolled: string[];
  load: string;
}

const readLabels = ['GET /v1/clusters/{id}', 'GET configmap (Kubernetes API)'];

async function measureService(root?: string): Promise<Result> {
  const s = await startService({ role: split ? 'api' : 'all', cpuProf, root, workerNice: WORKER_NICE });
  try {
    if (split) await s.spawnRole('worker');
    const quietTenant = await tenantWithCluster(s, 'quiet');
    const cm = await s.call('POST', `/clusters/${quietTenant.clusterId}/k8s/api/v1/namespaces/default/configmaps`, quietTenant.kubeToken, {
      metadata: { name: 'settings' },
      data: { mode: 'fast' },
    });
    if (cm.status !== 201) throw new Error(`configmap: ${cm.status} ${cm.text}`);
    // 110 pods a node: room for the Deployment and its surge.
    const busy = await tenantWithCluster(s, 'busy', Math.ceil((PODS * 1.3) / 110), 'm5.4xlarge');
    const reads = [
      { path: `/v1/clusters/${quietTenant.clusterId}`, token: quietTenant.token },
      { path: `/clusters/${quietTenant.clusterId}/k8s/api/v1/namespaces/default/configmaps/settings`, token: quietTenant.kubeToken },
    ];
    const measure = (r: (typeof reads)[number]) =>
      load({ url: s.url, ca: s.ca, path: r.path, token: r.token, connections: 10, rate: RATE, duration: DURATION });

    const deployments = `/clusters/${busy.clusterId}/k8s/apis/apps/v1/namespaces/default/deployments`;
    const deployment = (image: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: PODS,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' }, annotations: { 'kates.dev/image-pull-seconds': '0' } },
          spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
        },
      },
    });
    const status = async () => (await s.call('GET', `${deployments}/web`, busy.kubeToken)).json?.status ?? {};
    const settled = async (image: string, timeoutS = 300): Promise<number> => {
      const t0 = performance.now();
      for (;;) {
        const st = await status();
        if (st.updatedReplicas === PODS && st.readyReplicas === PODS && st.replicas === PODS) return (performance.now() - t0) / 1000;
        if (performance.now() - t0 > timeoutS * 1000) throw new Error(`rollout to ${image} not done after ${timeoutS} s: ${JSON.stringify(st)}`);
        await sleep(500);
      }
    };

    // Warm up, then the baseline: the same reads on the same service before the busy tenant does anything.
    for (const r of reads) await load({ url: s.url, ca: s.ca, path: r.path, token: r.token, connections: 10, duration: 2 });
    const quiet: Load[] = [];
    for (const r of reads) quiet.push(await measure(r));

    // The busy tenant's pods come up, then roll to a new image twice, once per measured read.
    const created = await s.call('POST', deployments, busy.kubeToken, deployment('nginx:1.25'));
    if (created.status !== 201) throw new Error(`deployment: ${created.status} ${created.text}`);
    const upS = await settled('nginx:1.25');
    const during: Load[] = [];
    const rolled: string[] = [];
    for (const [i, r] of reads.entries()) {
      const image = `nginx:1.26.${i}`;
      const patched = await s.call(
        'PATCH',
        `${deployments}/web`,
        busy.kubeToken,
        { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } },
        'application/strategic-merge-patch+json',
      );
      if (patched.status !== 200) throw new Error(`rollout: ${patched.status} ${patched.text}`);
      const t0 = performance.now();
      during.push(await measure(r));
      const st = await status();
      await settled(image);
      rolled.push(
        `${st.updatedReplicas ?? 0}/${PODS} updated by the end of the measurement, rollout done in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${PODS} pods came up in ${upS.toFixed(1)} s`,
      );
    }
    return { quiet, during, rolled, load: loadavg()[0].toFixed(1) };
  } finally {
    await s.stop();
  }
}

console.log(machine());
let previous: Result | undefined;
if (against) {
  const base = baselineCheckout(resolve(import.meta.dirname, '..'), against);
  try {
    previous = await measureService(base.root);
  } finally {
    base.remove();
  }
}
const current = await measureService();

console.log(
  `${RATE} req/s offered over 10 connections, ${DURATION} s each, HTTPS; service as ${split ? `separate --role api and --role worker processes (worker at nice ${WORKER_NICE})` : 'one process (API, with the workers in its supervised child at nice 10)'}`,
);
const rows: Array<[string, Result]> = previous
  ? [
      [`${against} (before)`, previous],
      ['this tree', current],
    ]
  : [['this tree', current]];
for (const [i, label] of readLabels.entries()) {
  console.log(label);
  for (const [who, r] of rows) {
    console.log(`  ${who.padEnd(18)} quiet service         ${show(r.quiet[i])}`);
    console.log(`  ${''.padEnd(18)} during the rollout    ${show(r.during[i])}   (${r.rolled[i]}; load average ${r.load} after)`);
    console.log(`  ${''.padEnd(18)} p99 during / quiet    ${(r.during[i].p99 / Math.max(1, r.quiet[i].p99)).toFixed(1)}×`);
  }
}
console.log('target: p99 under 25 ms during the rollout');
