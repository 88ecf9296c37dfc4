/**
 * GET and LIST latency (p50/p99) through the Kubernetes API for a namespace with 5,000 running
 * pods: single-object GETs, whole-namespace LISTs as JSON (what clients and -o json read),
 * kubectl's Table pages (limit=500) and a label-selected LIST. Each LIST is followed by its baseline,
 * measured the same way in the same run: a bare Hono route on the same server sending the same bytes.
 * Targets: the JSON LIST of 5,000 pods p50 under 50 ms, the Table form under 30 ms.
 *
 * `--against REF` first runs this bench as a checkout of REF has it (a temporary git worktree, its own
 * code) and ends with each figure of the two runs side by side, with their ratio.
 *
 *   npx tsx bench/kube-read.ts [--pods 5000] [--gets 2000] [--lists 40] [--against 25e5a9b]
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { baselineCheckout } from './baseline-checkout.ts';
import { benchPod, machine, percentile, startBenchServer } from './kube-server.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const PODS = arg('pods', 5000);
const GETS = arg('gets', 2000);
const LISTS = arg('lists', 40);
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const againstAt = process.argv.indexOf('--against');
const against = againstAt > 0 ? process.argv[againstAt + 1] : undefined;
/** The previous code's figures in print order (label, p50 and p99 in ms), from its own run of this bench. */
const before: Array<[string, number, number]> = [];
if (against) {
  const base = baselineCheckout(resolve(import.meta.dirname, '..'), against);
  try {
    const args = process.argv.slice(2).filter((_, i, all) => all[i] !== '--against' && all[i - 1] !== '--against');
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/kube-read.ts', ...args], {
      cwd: base.root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    console.log(`--- ${against} (before) ---\n${out.trimEnd()}\n--- this tree ---`);
    for (const m of out.matchAll(/^(.+?)\s+p50\s+([\d.]+) ms\s+p99\s+([\d.]+) ms/gm)) before.push([m[1].trim(), Number(m[2]), Number(m[3])]);
  } finally {
    base.remove();
  }
}
const figures: Array<[string, number, number]> = [];

const s = await startBenchServer();
console.log(machine());
for (let b = 0; b < PODS; b += 500) {
  await s.store.commit(
    s.clusterId,
    Array.from({ length: Math.min(500, PODS - b) }, (_, j) => ({ op: 'create' as const, resource: 'pods', object: benchPod(b + j) })),
  );
}

async function measure(label: string, n: number, fn: (i: number) => Promise<{ status: number; text: string }>) {
  for (let i = 0; i < Math.min(5, n); i++) await fn(i);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await fn(i);
    times.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`${label}: ${r.status} ${r.text.slice(0, 200)}`);
    bytes = r.text.length;
  }
  times.sort((a, b) => a - b);
  figures.push([label.trim(), percentile(times, 0.5), percentile(times, 0.99)]);
  console.log(
    `${label.padEnd(44)} p50 ${percentile(times, 0.5).toFixed(1).padStart(7)} ms   p99 ${percentile(times, 0.99).toFixed(1).padStart(7)} ms   (${n} requests, ${(bytes / 1024).toFixed(0)} KiB each)`,
  );
}

const name = (i: number) => benchPod((i * 7919) % PODS).metadata.name;
console.log(`namespace with ${PODS} pods`);
await measure('GET one pod (JSON)', GETS, (i) => s.request('GET', `/api/v1/namespaces/bench/pods/${name(i)}`));
await measure('GET one pod (Table, kubectl get pod x)', Math.floor(GETS / 4), (i) =>
  s.request('GET', `/api/v1/namespaces/bench/pods/${name(i)}`, { accept: TABLE }),
);
/** A LIST, then the same bytes from a bare Hono route (the baseline). */
async function withBaseline(label: string, n: number, path: string, accept?: string) {
  await measure(label, n, () => s.request('GET', path, { accept }));
  const key = Math.random().toString(36).slice(2);
  s.serveBare(key, (await s.request('GET', path, { accept })).text, 'application/json');
  await measure('  baseline: bare Hono, the same bytes', n, () => s.requestBare(key));
}
await withBaseline(`LIST all ${PODS} pods (JSON)`, LISTS, '/api/v1/namespaces/bench/pods');
await withBaseline('LIST first page (Table, limit=500)', LISTS, '/api/v1/namespaces/bench/pods?limit=500', TABLE);
await withBaseline(`LIST all ${PODS} pods (Table)`, Math.max(5, LISTS / 4), '/api/v1/namespaces/bench/pods', TABLE);
await measure(`LIST by label selector (JSON, all match)`, Math.max(5, LISTS / 2), () =>
  s.request('GET', '/api/v1/namespaces/bench/pods?labelSelector=app%3Dweb'),
);
await s.stop();
if (against) {
  console.log(`\nside by side (p50 / p99 in ms; the bare Hono rows are each run's own baseline)`);
  for (const [i, [label, p50, p99]] of figures.entries()) {
    const b = before[i];
    if (b?.[0] === label)
      console.log(
        `${label.padEnd(44)} ${against} ${b[1].toFixed(1).padStart(6)} / ${b[2].toFixed(1).padStart(6)}   now ${p50.toFixed(1).padStart(6)} / ${p99.toFixed(1).padStart(6)}   p50 ${(p50 / b[1]).toFixed(2)}× of before`,
      );
  }
}
