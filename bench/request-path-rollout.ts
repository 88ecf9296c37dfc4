/**
 * Latency of a quiet tenant's reads at a fixed 500 req/s (autocannon, HTTPS) while the workers roll
 * out a 1,000-pod Deployment in another tenant's cluster, beside the same reads on the same service
 * before the rollout starts (the baseline, same run). `GET /v1/clusters/{id}` and a Kubernetes `GET`
 * of one ConfigMap; target p99 under 25 ms. The service runs as one process (API and workers) or,
 * with `--split`, as `--role api` and `--role worker` processes over one database and Redis.
 *
 *   npx tsx bench/request-path-rollout.ts [--split] [--pods 1000] [--rate 500] [--duration 10] [--cpu-prof DIR]
 *
 * `--cpu-prof DIR` writes a V8 CPU profile of the API process (and of the worker, when split) into DIR.
 */
import { performance } from 'node:perf_hooks';
import { machine } from './kube-server.ts';
import { arg, flag, load, show, sleep, startService, tenantWithCluster, type Load } from './request-kit.ts';

const PODS = arg('pods', 1000);
const RATE = arg('rate', 500);
const DURATION = arg('duration', 10);
const split = flag('split');
const profIndex = process.argv.indexOf('--cpu-prof');
const cpuProf = profIndex > 0 ? process.argv[profIndex + 1] : undefined;

console.log(machine());
const s = await startService({ role: split ? 'api' : 'all', cpuProf });
if (split) await s.spawnRole('worker');
const quiet = await tenantWithCluster(s, 'quiet');
const cm = await s.call('POST', `/clusters/${quiet.clusterId}/k8s/api/v1/namespaces/default/configmaps`, quiet.kubeToken, { metadata: { name: 'settings' }, data: { mode: 'fast' } });
if (cm.status !== 201) throw new Error(`configmap: ${cm.status} ${cm.text}`);
// 110 pods a node: room for the Deployment and its surge.
const busy = await tenantWithCluster(s, 'busy', Math.ceil((PODS * 1.3) / 110), 'm5.4xlarge');

const reads = [
  { label: 'GET /v1/clusters/{id}', path: `/v1/clusters/${quiet.clusterId}`, token: quiet.token },
  { label: 'GET configmap (Kubernetes API)', path: `/clusters/${quiet.clusterId}/k8s/api/v1/namespaces/default/configmaps/settings`, token: quiet.kubeToken },
];
const measure = (r: (typeof reads)[number]) => load({ url: s.url, ca: s.ca, path: r.path, token: r.token, connections: 10, rate: RATE, duration: DURATION });

const deployments = `/clusters/${busy.clusterId}/k8s/apis/apps/v1/namespaces/default/deployments`;
const deployment = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: PODS,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' }, annotations: { 'kates.dev/image-pull-seconds': '0' } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
  },
});
const status = async () => (await s.call('GET', `${deployments}/web`, busy.kubeToken)).json?.status ?? {};
async function settled(image: string, timeoutS = 300): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const st = await status();
    if (st.updatedReplicas === PODS && st.readyReplicas === PODS && st.replicas === PODS) return (performance.now() - t0) / 1000;
    if (performance.now() - t0 > timeoutS * 1000) throw new Error(`rollout to ${image} not done after ${timeoutS} s: ${JSON.stringify(st)}`);
    await sleep(500);
  }
}

// Warm up, then the baseline: the same reads on the same service before the busy tenant does anything.
for (const r of reads) await load({ url: s.url, ca: s.ca, path: r.path, token: r.token, connections: 10, duration: 2 });
const baseline: Load[] = [];
for (const r of reads) baseline.push(await measure(r));

// The busy tenant's 1,000 pods come up, then roll to a new image twice, once per measured read.
const created = await s.call('POST', deployments, busy.kubeToken, deployment('nginx:1.25'));
if (created.status !== 201) throw new Error(`deployment: ${created.status} ${created.text}`);
const upS = await settled('nginx:1.25');
console.log(`busy tenant: ${PODS} pods running in ${upS.toFixed(1)} s`);
const during: Load[] = [];
const rolled: string[] = [];
for (const [i, r] of reads.entries()) {
  const image = `nginx:1.26.${i}`;
  const patched = await s.call('PATCH', `${deployments}/web`, busy.kubeToken, { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } }, 'application/strategic-merge-patch+json');
  if (patched.status !== 200) throw new Error(`rollout: ${patched.status} ${patched.text}`);
  const t0 = performance.now();
  during.push(await measure(r));
  const st = await status();
  await settled(image);
  rolled.push(`${st.updatedReplicas ?? 0}/${PODS} pods updated by the end of the measurement, rollout done ${((performance.now() - t0) / 1000).toFixed(1)} s after it started`);
}

console.log(`${RATE} req/s offered over 10 connections, ${DURATION} s each, HTTPS; service as ${split ? 'separate --role api and --role worker processes' : 'one process (API and workers)'}`);
for (const [i, r] of reads.entries()) {
  console.log(`${r.label}`);
  console.log(`  quiet service (baseline)      ${show(baseline[i])}`);
  console.log(`  during the ${PODS}-pod rollout   ${show(during[i])}   (${rolled[i]})`);
}
console.log('target: p99 under 25 ms during the rollout');
await s.stop();
