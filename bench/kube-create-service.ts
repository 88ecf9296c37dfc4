/**
 * Kubernetes API creates per second through the whole service (`src/main.ts`: the API and the
 * workers, as `npm start` runs them or with `--split` as `--role api` and `--role worker` processes),
 * 8 in flight, full admission: ConfigMaps, then Pods, and the time until every created pod is
 * Running (scheduled and started by the simulated kubelet). Beside it, in the same run, the same
 * measurements of a baseline: the service at `--baseline <ref>` from a temporary git worktree.
 * Baseline and candidate runs alternate (the machine is shared), and the ratios are printed, with
 * the CPU time the service's processes spent per object: on a loaded machine rates swing with the
 * neighbours, CPU per object much less.
 * Targets: 1,000 ConfigMaps/s and 700 Pods/s.
 *
 *   npx tsx bench/kube-create-service.ts [--objects 2000] [--rounds 2] [--split] [--baseline 25e5a9b] [--profile DIR]
 *
 * `--profile DIR` writes V8 CPU profiles of the candidate's processes (the API and the workers) and
 * measures the candidate alone.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'node:https';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { baselineCheckout } from './baseline-checkout.ts';
import { machine } from './kube-server.ts';
import { arg, flag, sleep, startService, tenantWithCluster } from './request-kit.ts';

const OBJECTS = arg('objects', 2000);
const ROUNDS = arg('rounds', 2);
const CONCURRENCY = 8;
const split = flag('split');
const option = (name: string, dflt?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const BASELINE_REF = option('baseline', '25e5a9b')!;
const PROFILE = option('profile');

const configMap = (i: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { key: `value-${i}`, mode: 'bench' } });
const pod = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `pod-${i}`, labels: { app: 'bench' }, annotations: { 'kates.dev/image-pull-seconds': '0' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
});

interface Result {
  configMaps: number;
  pods: number;
  /** Pods Running per second, from the first pod create until the last pod reads Running. */
  running: number;
  /** CPU milliseconds the service's processes (API and workers) used per ConfigMap created, and per pod from its create until Running. */
  cpuPerConfigMap: number;
  cpuPerPod: number;
  load: number;
}

async function measure(root: string, profile?: string): Promise<Result> {
  const s = await startService({ role: split ? 'api' : 'all', root, cpuProf: profile });
  try {
    if (split) await s.spawnRole('worker');
    // 110 pods a node, room for every pod created.
    const { clusterId, kubeToken } = await tenantWithCluster(s, 'creates', Math.ceil(OBJECTS / 100), 'm5.4xlarge');
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2, ca: s.ca });
    const post = (url: string, body: string) =>
      new Promise<{ status: number; text: string }>((res, rej) => {
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            headers: { authorization: `Bearer ${kubeToken}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c) => chunks.push(c));
            r.on('end', () => res({ status: r.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
          },
        );
        req.on('error', rej);
        req.end(body);
      });
    const creates = async (n: number, url: string, body: (i: number) => unknown, from = 0) => {
      let next = from;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (;;) {
            const i = next++;
            if (i >= from + n) return;
            for (;;) {
              const r = await post(url, JSON.stringify(body(i)));
              if (r.status === 201) break;
              // A dependency slow under load: retried after a second, as a client would (counted in the time).
              if (r.status !== 503) throw new Error(`create failed: ${r.status} ${r.text.slice(0, 300)}`);
              await sleep(1000);
            }
          }
        }),
      );
      return n / ((performance.now() - started) / 1000);
    };
    const ns = `${s.url}/clusters/${clusterId}/k8s/api/v1/namespaces/default`;
    // Warm-up: the JIT and SQLite's caches.
    await creates(200, `${ns}/configmaps`, configMap, OBJECTS);
    // Let the workers finish with the warm-up, so the CPU counted is the ConfigMaps'.
    await sleep(1000);
    const cpu0 = s.cpuSeconds();
    const configMaps = await creates(OBJECTS, `${ns}/configmaps`, configMap);
    await sleep(1000);
    const cpu1 = s.cpuSeconds();
    const podsStarted = performance.now();
    const pods = await creates(OBJECTS, `${ns}/pods`, pod);
    for (let i = 0; ; i++) {
      const left = await s.call('GET', `/clusters/${clusterId}/k8s/api/v1/namespaces/default/pods?fieldSelector=status.phase!%3DRunning&limit=1`, kubeToken);
      if (left.status !== 200) throw new Error(`list: ${left.status} ${left.text.slice(0, 200)}`);
      if (left.json.items.length === 0) break;
      // Each poll filters every pod: not too often, so the poll does not slow what it measures.
      if (i > 1200) throw new Error('pods did not all become Running within 10 minutes');
      await sleep(500);
    }
    const running = OBJECTS / ((performance.now() - podsStarted) / 1000);
    const cpu2 = s.cpuSeconds();
    agent.destroy();
    // The idle second after the ConfigMaps is charged to them (their passes may still run); a poll's share stays in.
    return { configMaps, pods, running, cpuPerConfigMap: ((cpu1 - cpu0) * 1000) / OBJECTS, cpuPerPod: ((cpu2 - cpu1) * 1000) / OBJECTS, load: loadavg()[0] };
  } finally {
    await s.stop();
  }
}

console.log(machine());
if (PROFILE) {
  const x = await measure(resolve(import.meta.dirname, '..'), PROFILE);
  console.log(
    `profiled: ConfigMaps ${Math.round(x.configMaps)}/s  Pods ${Math.round(x.pods)}/s  Pods Running ${Math.round(x.running)}/s  CPU ${x.cpuPerConfigMap.toFixed(2)} ms/ConfigMap ${x.cpuPerPod.toFixed(2)} ms/pod  (load average ${x.load.toFixed(1)}); profiles in ${PROFILE}`,
  );
  process.exit(0);
}
const candidateRoot = resolve(import.meta.dirname, '..');
const checkout = baselineCheckout(candidateRoot, BASELINE_REF);
let removed = false;
const base = { root: checkout.root, remove: () => void (removed || ((removed = true), checkout.remove())) };
process.on('exit', () => base.remove());
const runs: { baseline: Result; candidate: Result }[] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so a change in the machine's load falls on both.
    const order = round % 2 === 0 ? (['baseline', 'candidate'] as const) : (['candidate', 'baseline'] as const);
    const r: Partial<(typeof runs)[number]> = {};
    for (const which of order) {
      r[which] = await measure(which === 'baseline' ? base.root : candidateRoot, which === 'candidate' ? PROFILE : undefined);
      const x = r[which]!;
      console.log(
        `round ${round + 1} ${which.padEnd(9)}  ConfigMaps ${Math.round(x.configMaps).toString().padStart(5)}/s  Pods ${Math.round(x.pods).toString().padStart(5)}/s  Pods Running ${Math.round(x.running).toString().padStart(5)}/s  CPU ${x.cpuPerConfigMap.toFixed(2)} ms/ConfigMap ${x.cpuPerPod.toFixed(2)} ms/pod  (load average ${x.load.toFixed(1)})`,
      );
    }
    runs.push(r as (typeof runs)[number]);
  }
} finally {
  base.remove();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `\n${OBJECTS} creates each, ${CONCURRENCY} in flight, HTTPS, full admission; service as ${split ? '--role api + --role worker' : 'npm start (API and its worker process)'}; baseline ${BASELINE_REF}`,
);
for (const [key, label, target] of [
  ['configMaps', 'ConfigMaps/s', 1000],
  ['pods', 'Pods/s', 700],
  ['running', 'Pods Running/s', undefined],
  ['cpuPerConfigMap', 'CPU ms/ConfigMap', undefined],
  ['cpuPerPod', 'CPU ms/pod', undefined],
] as const) {
  const c = median(runs.map((r) => r.candidate[key]));
  const b = median(runs.map((r) => r.baseline[key]));
  const ratios = runs.map((r) => (r.candidate[key] / r.baseline[key]).toFixed(2)).join(', ');
  const fmt = (v: number) => (key.startsWith('cpu') ? v.toFixed(2) : String(Math.round(v))).padStart(6);
  console.log(`${label.padEnd(17)} candidate ${fmt(c)}   baseline ${fmt(b)}   ratio per round ${ratios}${target ? `   target ${target}` : ''}`);
}
