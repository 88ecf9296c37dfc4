/**
 * Objects created per second through the Kubernetes API (HTTPS, JSON bodies, full admission:
 * defaulting, validation, managedFields, namespace check), with a few requests in flight.
 *
 *   npx tsx bench/kube-create.ts [--objects 2000] [--concurrency 8]
 */
import { performance } from 'node:perf_hooks';
import { benchPod, machine, startBenchServer } from './kube-server.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const OBJECTS = arg('objects', 2000);
const CONCURRENCY = arg('concurrency', 8);

const s = await startBenchServer();
console.log(machine());
// Warm up the JIT and SQLite's caches.
for (let i = 0; i < 100; i++) await s.request('POST', '/api/v1/namespaces/bench/configmaps', { body: { metadata: { name: `warm-${i}` }, data: { k: 'v' } } });

for (const kind of ['pods', 'configmaps'] as const) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= OBJECTS) return;
        const body = kind === 'pods' ? { ...benchPod(i), status: undefined } : { metadata: { name: `cm-${i}` }, data: { key: `value-${i}` } };
        const r = await s.request('POST', `/api/v1/namespaces/bench/${kind}`, { body });
        if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.text}`);
      }
    }),
  );
  const secs = (performance.now() - started) / 1000;
  console.log(`${kind}: ${OBJECTS} created in ${secs.toFixed(2)} s = ${Math.round(OBJECTS / secs)} objects/s (concurrency ${CONCURRENCY})`);
}
await s.stop();
