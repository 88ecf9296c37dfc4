/**
 * Concurrent watches one API process holds with events delivered within 100 ms: opens watches on
 * a namespace's pods in steps, writes probe pods at a steady pace, and measures the delay from
 * the commit to each watcher receiving the event line. The watching clients run in this same
 * process over HTTPS, so their reading counts against the budget too (a conservative figure).
 *
 *   npx tsx bench/kube-watch.ts [--steps 250,500,1000,2000,4000] [--events 20]
 */
import { performance } from 'node:perf_hooks';
import { benchPod, machine, percentile, startBenchServer } from './kube-server.ts';

const argStr = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const STEPS = argStr('steps', '250,500,1000,2000,4000').split(',').map(Number);
const EVENTS = Number(argStr('events', '20'));
const BUDGET_MS = 100;

const s = await startBenchServer();
console.log(machine());
const sent = new Map<string, number>();
const latencies: number[] = [];
let received = 0;
const closers: Array<() => void> = [];

function onLine(line: string) {
  // Cheap extraction of the probe name, so the clients stay light.
  const at = line.indexOf('"name":"probe-');
  if (at < 0) return;
  const name = line.slice(at + 8, line.indexOf('"', at + 8));
  const t0 = sent.get(name);
  if (t0 === undefined) return;
  latencies.push(performance.now() - t0);
  received++;
}

let best = 0;
for (const target of STEPS) {
  const rv = await s.store.currentRevision(s.clusterId);
  while (closers.length < target) {
    const batch = Math.min(100, target - closers.length);
    closers.push(...(await Promise.all(Array.from({ length: batch }, () => s.stream(`/api/v1/namespaces/bench/pods?watch=true&resourceVersion=${rv}`, onLine)))));
  }
  latencies.length = 0;
  received = 0;
  for (let e = 0; e < EVENTS; e++) {
    const pod = benchPod(e);
    pod.metadata.name = `probe-${target}-${e}`;
    sent.set(pod.metadata.name, performance.now());
    await s.store.create(s.clusterId, 'pods', pod);
    await new Promise((r) => setTimeout(r, 50));
  }
  const expected = EVENTS * target;
  const deadline = performance.now() + 10_000;
  while (received < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  latencies.sort((a, b) => a - b);
  const p99 = percentile(latencies, 0.99);
  const within = received === expected && p99 <= BUDGET_MS;
  if (within) best = target;
  console.log(
    `${String(target).padStart(5)} watches: ${received}/${expected} events delivered, p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms ${within ? '' : '(over budget)'}`,
  );
}
console.log(`=> ${best} concurrent watches held with p99 delivery within ${BUDGET_MS} ms`);
for (const c of closers) c();
await s.stop();
