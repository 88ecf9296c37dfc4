/**
 * What CustomResourceDefinitions cost the Kubernetes API: every request reads the cluster's CRDs to
 * build its registry (cached while they are unchanged). Prints GET latency of a ConfigMap in a
 * cluster without CRDs (the baseline, same run) and with N CRDs, a custom object's GET, and the
 * discovery and OpenAPI figures (group count, /openapi/v2 and v3 sizes) with and without them.
 *
 *   npx tsx bench/crd-registry.ts [--crds 20] [--gets 2000]
 */
import { performance } from 'node:perf_hooks';
import { machine, percentile, startBenchServer } from './kube-server.ts';
import { ClusterRegistries } from '../src/kube/crd/cluster-registry.ts';
import { defaultRegistry } from '../src/kube/registry/index.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CRDS = arg('crds', 20);
const GETS = arg('gets', 2000);
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

const s = await startBenchServer();
console.log(machine());
const ok = async (method: string, path: string, opts: { body?: unknown; accept?: string } = {}) => {
  const r = await s.request(method, path, opts);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text.slice(0, 200)}`);
  return r.text;
};
await ok('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } } }).catch(() => undefined);
await ok('POST', '/api/v1/namespaces/bench/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } } });

async function measure(label: string, path: string) {
  for (let i = 0; i < 20; i++) await ok('GET', path);
  const times: number[] = [];
  for (let i = 0; i < GETS; i++) {
    const t = performance.now();
    await ok('GET', path);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(46)} p50 ${percentile(times, 0.5).toFixed(2).padStart(6)} ms   p99 ${percentile(times, 0.99).toFixed(2).padStart(6)} ms`);
}

/** The per-request cost itself: reading the CRDs and finding the cached registry. */
async function lookup(label: string) {
  const registries = new ClusterRegistries(defaultRegistry);
  for (let i = 0; i < 100; i++) await registries.forCluster(s.store, s.clusterId);
  const n = GETS * 5;
  const t = performance.now();
  for (let i = 0; i < n; i++) await registries.forCluster(s.store, s.clusterId);
  console.log(`${label.padEnd(46)} ${(((performance.now() - t) / n) * 1000).toFixed(1)} µs per request`);
}

async function figures(label: string) {
  const groups = JSON.parse(await ok('GET', '/apis', { accept: AGGREGATED })).items.length + 1;
  const v2 = (await ok('GET', '/openapi/v2', { accept: 'application/json' })).length;
  const index = JSON.parse(await ok('GET', '/openapi/v3')).paths as Record<string, { serverRelativeURL: string }>;
  let v3 = 0;
  for (const key of Object.keys(index)) v3 += (await ok('GET', `/openapi/v3/${key}`)).length;
  console.log(
    `${label.padEnd(46)} ${groups} API groups (core included), /openapi/v2 ${(v2 / 1024).toFixed(0)} KiB, /openapi/v3 ${Object.keys(index).length} documents ${(v3 / 1024).toFixed(0)} KiB`,
  );
}

await figures('without CRDs (baseline)');
await measure('GET configmap, no CRDs (baseline)', '/api/v1/namespaces/bench/configmaps/cm');
await lookup('registry lookup, no CRDs');

for (let i = 0; i < CRDS; i++) {
  const group = `g${i}.bench.example.com`;
  await ok('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    body: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { size: { type: 'integer', default: 1 }, color: { type: 'string' } } } },
              },
            },
          },
        ],
      },
    },
  });
}
await ok('POST', '/apis/g0.bench.example.com/v1/namespaces/bench/widgets', {
  body: { apiVersion: 'g0.bench.example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { color: 'red' } },
});
await figures(`with ${CRDS} CRDs`);
await lookup(`registry lookup, ${CRDS} CRDs`);
await measure(`GET configmap, ${CRDS} CRDs`, '/api/v1/namespaces/bench/configmaps/cm');
await measure(`GET custom object, ${CRDS} CRDs`, '/apis/g0.bench.example.com/v1/namespaces/bench/widgets/w');
await s.stop();
