/**
 * Concurrent watches one API process holds with events delivered within 100 ms: a child process
 * opens watches on a namespace's pods over HTTPS in steps, the API process writes probe pods at a
 * steady pace, and the child measures the delay from the commit (stamped into the pod) to each
 * watcher receiving the event line. Clients and server share the machine's cores.
 *
 *   npx tsx bench/kube-watch.ts [--steps 250,500,1000,2000,4000] [--events 20]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request, Agent } from 'node:https';
import { performance } from 'node:perf_hooks';
import { benchPod, machine, percentile, startBenchServer } from './kube-server.ts';

const argStr = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const BUDGET_MS = 100;
const now = () => performance.timeOrigin + performance.now();

type ToChild = { open: number; rv: number } | { collect: number } | { stop: true };
type FromChild = { opened: number } | { received: number; p50: number; p99: number; max: number };

if (process.argv.includes('--client')) {
  // The watching side: holds the streams and timestamps what arrives.
  const url = new URL(process.env.KUBE_URL!);
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity, ca: process.env.KUBE_CA });
  const latencies: number[] = [];
  let streams = 0;
  const onLine = (line: string) => {
    const at = line.indexOf('"kates.dev/bench-sent-at":"');
    if (at < 0) return;
    const start = at + 27;
    latencies.push(now() - Number(line.slice(start, line.indexOf('"', start))));
  };
  const open = (rv: number) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}/api/v1/namespaces/bench/pods?watch=true&resourceVersion=${rv}`,
          agent,
          headers: { authorization: 'Bearer bench' },
        },
        (res) => {
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            buf += d;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              onLine(buf.slice(0, nl));
              buf = buf.slice(nl + 1);
            }
          });
          resolve();
        },
      );
      req.on('error', reject);
      req.end();
    });
  process.on('message', async (m: ToChild) => {
    if ('open' in m) {
      while (streams < m.open) {
        const batch = Math.min(100, m.open - streams);
        await Promise.all(Array.from({ length: batch }, () => open(m.rv)));
        streams += batch;
      }
      latencies.length = 0;
      process.send!({ opened: streams } satisfies FromChild);
    } else if ('collect' in m) {
      const deadline = now() + 15_000;
      while (latencies.length < m.collect && now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const sorted = [...latencies].sort((a, b) => a - b);
      process.send!({
        received: sorted.length,
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        max: sorted[sorted.length - 1],
      } satisfies FromChild);
      latencies.length = 0;
    } else process.exit(0);
  });
} else {
  const STEPS = argStr('steps', '250,500,1000,2000,4000').split(',').map(Number);
  const EVENTS = Number(argStr('events', '20'));
  const s = await startBenchServer();
  console.log(machine());
  const child = fork(fileURLToPath(import.meta.url), ['--client'], { env: { ...process.env, KUBE_URL: s.url, KUBE_CA: s.ca }, execArgv: ['--import', 'tsx'] });
  const ask = (m: ToChild) =>
    new Promise<FromChild>((resolve) => {
      child.once('message', (r: FromChild) => resolve(r));
      child.send(m);
    });
  let best = 0;
  for (const target of STEPS) {
    await ask({ open: target, rv: await s.store.currentRevision(s.clusterId) });
    for (let e = 0; e < EVENTS; e++) {
      const pod = benchPod(e);
      pod.metadata.name = `probe-${target}-${e}`;
      pod.metadata.annotations = { 'kates.dev/bench-sent-at': String(now()) };
      await s.store.create(s.clusterId, 'pods', pod);
      await new Promise((r) => setTimeout(r, 50));
    }
    const expected = EVENTS * target;
    const r = (await ask({ collect: expected })) as Extract<FromChild, { received: number }>;
    const within = r.received === expected && r.p99 <= BUDGET_MS;
    if (within) best = target;
    console.log(
      `${String(target).padStart(5)} watches: ${r.received}/${expected} events delivered, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms${within ? '' : ' (over budget)'}`,
    );
  }
  console.log(`=> ${best} concurrent watches held by one API process with p99 delivery within ${BUDGET_MS} ms`);
  child.send({ stop: true } satisfies ToChild);
  await s.stop();
}
