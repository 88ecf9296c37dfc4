/**
 * Requests per second of the service's hot reads against a bare Hono app on @hono/node-server with
 * the same certificate, measured in the same run (autocannon, keep-alive connections, HTTPS):
 * `GET /v1/clusters/{id}` and a Kubernetes `GET` of one ConfigMap, each as a share of bare Hono's
 * req/s (the target is at least 30 %). The service runs as `src/main.ts` (API and workers, one idle
 * cluster); `--profile DIR` writes its CPU profile there.
 *
 *   npx tsx bench/request-path.ts [--connections 50] [--duration 10] [--profile /tmp/prof]
 */
import { machine } from './kube-server.ts';
import { arg, load, show, startBareHono, startService, tenantWithCluster } from './request-kit.ts';

const CONNECTIONS = arg('connections', 50);
const DURATION = arg('duration', 10);
const profIdx = process.argv.indexOf('--profile');
const cpuProf = profIdx > 0 ? process.argv[profIdx + 1] : undefined;

console.log(machine());
const s = await startService({ cpuProf });
const bare = await startBareHono(s.dataDir);
const { token, clusterId, kubeToken } = await tenantWithCluster(s, 'reqpath');
const cm = await s.call('POST', `/clusters/${clusterId}/k8s/api/v1/namespaces/default/configmaps`, kubeToken, {
  metadata: { name: 'settings' },
  data: { mode: 'fast', level: '3' },
});
if (cm.status !== 201) throw new Error(`configmap: ${cm.status} ${cm.text}`);

const run = (url: string, path: string, tok?: string) => load({ url, ca: s.ca, path, token: tok, connections: CONNECTIONS, duration: DURATION });
// A short warm-up of each, so the JIT has seen the paths before the measured runs.
for (const [url, path, tok] of [
  [bare.url, '/json'],
  [s.url, `/v1/clusters/${clusterId}`, token],
  [s.url, `/clusters/${clusterId}/k8s/api/v1/namespaces/default/configmaps/settings`, kubeToken],
] as const) {
  await load({ url, ca: s.ca, path, token: tok, connections: 10, duration: 2 });
}
const base = await run(bare.url, '/json');
const v1 = await run(s.url, `/v1/clusters/${clusterId}`, token);
const kube = await run(s.url, `/clusters/${clusterId}/k8s/api/v1/namespaces/default/configmaps/settings`, kubeToken);
const pct = (x: number) => `${((100 * x) / base.rps).toFixed(1)} % of bare Hono`;
console.log(`${CONNECTIONS} keep-alive connections, ${DURATION} s each, HTTPS, same certificate`);
console.log(`bare Hono GET /json                       ${show(base)}`);
console.log(`GET /v1/clusters/{id}                     ${show(v1)}  = ${pct(v1.rps)}`);
console.log(`GET configmap (Kubernetes API)            ${show(kube)}  = ${pct(kube.rps)}`);
console.log('target: at least 30 % of bare Hono for each');
await bare.stop();
await s.stop();
