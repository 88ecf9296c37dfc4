/**
 * Kubernetes API creates per second through the whole service (`src/main.ts`: HTTPS, token check,
 * rate limit, full admission, one atomic write each) with 8 requests in flight, ConfigMaps then Pods,
 * beside a bare Hono app with the same certificate that parses the same JSON bodies and answers 201,
 * driven the same way in the same run. Targets: 1,000 ConfigMaps/s and 700 Pods/s.
 *
 *   npx tsx bench/request-path-creates.ts [--objects 3000] [--concurrency 8] [--split] [--profile DIR]
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'node:https';
import { machine } from './kube-server.ts';
import { arg, flag, startBareHono, startService, tenantWithCluster } from './request-kit.ts';

const OBJECTS = arg('objects', 3000);
const CONCURRENCY = arg('concurrency', 8);
const profIdx = process.argv.indexOf('--profile');
const cpuProf = profIdx > 0 ? process.argv[profIdx + 1] : undefined;

console.log(machine());
const s = await startService({ role: flag('split') ? 'api' : 'all', cpuProf });
if (flag('split')) await s.spawnRole('worker');
const bare = await startBareHono(s.dataDir);
// 20 nodes of 110 pods, so the scheduler can place every pod created.
const { clusterId, kubeToken } = await tenantWithCluster(s, 'creates', 20, 'm5.4xlarge');
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2, ca: s.ca });

function post(url: string, body: string, token?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const configMap = (i: number, p: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `${p}-${i}` },
  data: { key: `value-${i}`, mode: 'bench' },
});
const pod = (i: number, p: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `${p}-${i}`, labels: { app: 'bench' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
});

/** Creates answered 503 (a dependency slow to answer under load), retried after their Retry-After as a client would. */
let unavailable = 0;

/** `n` POSTs, CONCURRENCY in flight; returns objects per second. */
async function creates(n: number, url: string, body: (i: number) => unknown, token?: string): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        for (;;) {
          const r = await post(url, JSON.stringify(body(i)), token);
          if (r.status === 201) break;
          if (r.status !== 503) throw new Error(`create failed: ${r.status} ${r.text.slice(0, 300)}`);
          unavailable++;
          await new Promise((res) => setTimeout(res, 1000));
        }
      }
    }),
  );
  return n / ((performance.now() - started) / 1000);
}

const ns = `${s.url}/clusters/${clusterId}/k8s/api/v1/namespaces/default`;
// Warm-up: the JIT and SQLite's caches.
await creates(200, `${bare.url}/echo`, (i) => configMap(i, 'warm'));
await creates(200, `${ns}/configmaps`, (i) => configMap(i, 'warm'), kubeToken);
const results: [string, number, number, number][] = [];
for (const [kind, body, target] of [
  ['configmaps', configMap, 1000],
  ['pods', pod, 700],
] as const) {
  const base = await creates(OBJECTS, `${bare.url}/echo`, (i) => body(i, 'base'));
  const rate = await creates(OBJECTS, `${ns}/${kind}`, (i) => body(i, 'bench'), kubeToken);
  results.push([kind, rate, base, target]);
}
console.log(
  `${OBJECTS} creates each, ${CONCURRENCY} in flight, HTTPS, service as ${flag('split') ? 'separate --role api and --role worker processes' : 'one process (API and workers)'}`,
);
for (const [kind, rate, base, target] of results) {
  console.log(
    `${kind.padEnd(11)} ${Math.round(rate).toString().padStart(5)} objects/s   bare Hono POST of the same bodies ${Math.round(base).toString().padStart(5)} req/s (${((100 * rate) / base).toFixed(1)} %)   target ${target}/s`,
  );
}
if (unavailable) console.log(`${unavailable} creates answered 503 Service Unavailable and were retried after a second (counted in the time)`);
agent.destroy();
await bare.stop();
await s.stop();
