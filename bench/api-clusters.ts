/**
 * The management API on the embedded default (one process: API and workers, SQLite in WAL mode, a
 * local redis-server, HTTPS): how many clusters per second go from POST /v1/clusters to RUNNING
 * (N clusters, C at a time, each polled until RUNNING), then p50/p99 latency of GET /v1/clusters/{id}
 * under concurrent load (autocannon, keep-alive connections), flat out and at a fixed rate, while those clusters keep running.
 *
 *   npx tsx bench/api-clusters.ts [--clusters 50] [--concurrency 10] [--connections 50] [--duration 10] [--rate 500]
 */
import { Agent, request } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { startRuntime } from '../src/platform/node-runtime.ts';
import { startLocalRedis } from '../src/platform/redis.ts';
import { machine, percentile } from './kube-server.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CLUSTERS = arg('clusters', 50);
const CONCURRENCY = arg('concurrency', 10);
const CONNECTIONS = arg('connections', 50);
const DURATION = arg('duration', 10);
const RATE = arg('rate', 500);

const dir = mkdtempSync(join(tmpdir(), 'kates-bench-api-'));
const redis = process.env.REDIS_URL ? undefined : await startLocalRedis(join(dir, 'redis'));
const adminKey = `bench-admin-${Math.random().toString(36).slice(2)}`;
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dir,
  REDIS_URL: process.env.REDIS_URL ?? redis!.url,
  KATES_ADMIN_KEY: adminKey,
  LOG_LEVEL: 'silent',
  RATE_LIMIT_PER_MINUTE: '100000000',
});
const runtime = await startRuntime(config);
const base = new URL(runtime.url!);
const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: runtime.deps.caCert });

function call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

function check(r: { status: number; json: any }, status: number, what: string) {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

console.log(machine());
const admin = check(await call('POST', '/v1/auth/token', undefined, { apiKey: adminKey }), 200, 'admin token').accessToken;
// Enterprise quotas (200 clusters), so the plan does not cap the run.
const tenant = check(await call('POST', '/v1/tenants', admin, { name: 'bench', plan: 'enterprise' }), 201, 'tenant');
const key = check(await call('POST', `/v1/tenants/${tenant.id}/api-keys`, admin, { name: 'bench', role: 'owner' }), 201, 'key').key;
const token = check(await call('POST', '/v1/auth/token', undefined, { apiKey: key }), 200, 'token').accessToken;

// Phase 1: create → RUNNING.
const postMs: number[] = [];
const readyMs: number[] = [];
const ids: string[] = [];
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < CLUSTERS) {
      const i = next++;
      const t0 = performance.now();
      const created = check(
        await call('POST', '/v1/clusters', token, {
          name: `bench-${i}`,
          provider: 'eks',
          region: 'us-east-1',
          nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }],
        }),
        202,
        'create',
      );
      postMs.push(performance.now() - t0);
      ids.push(created.id);
      for (;;) {
        const got = check(await call('GET', `/v1/clusters/${created.id}`, token), 200, 'get');
        if (got.status === 'RUNNING') break;
        if (got.status === 'FAILED') throw new Error(`cluster ${created.id} FAILED`);
        await new Promise((r) => setTimeout(r, 20));
      }
      readyMs.push(performance.now() - t0);
    }
  }),
);
const wallS = (performance.now() - started) / 1000;
postMs.sort((a, b) => a - b);
readyMs.sort((a, b) => a - b);
console.log(
  `create → RUNNING: ${CLUSTERS} clusters of 3 nodes, ${CONCURRENCY} at a time, in ${wallS.toFixed(2)} s = ${(CLUSTERS / wallS).toFixed(1)} clusters/s`,
);
console.log(`  POST /v1/clusters            p50 ${percentile(postMs, 0.5).toFixed(1)} ms  p99 ${percentile(postMs, 0.99).toFixed(1)} ms`);
console.log(`  POST → RUNNING per cluster   p50 ${percentile(readyMs, 0.5).toFixed(0)} ms  p99 ${percentile(readyMs, 0.99).toFixed(0)} ms`);

// Phase 2: GET one cluster (rotating over all of them) under load: as fast as CONNECTIONS clients can
// go, then at a fixed RATE, the load perf-reliability.md sets its API latency targets at.
async function getLoad(connections: number, overallRate?: number) {
  let n = 0;
  const r = await autocannon({
    url: runtime.url!,
    connections,
    duration: DURATION,
    ...(overallRate ? { overallRate } : {}),
    headers: { authorization: `Bearer ${token}` },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/clusters/${ids[n++ % ids.length]}` }) }],
  });
  const load = overallRate ? `${overallRate} req/s offered over ${connections} connections` : `${connections} connections flat out`;
  console.log(
    `GET /v1/clusters/{id}, ${load}, ${DURATION} s: ${Math.round(r.requests.average)} req/s, latency p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  max ${r.latency.max} ms  (${r['2xx']} 2xx, ${r.non2xx} other, ${r.errors} errors)`,
  );
}
await getLoad(CONNECTIONS);
await getLoad(10, RATE);

agent.destroy();
await runtime.stop();
await redis?.stop();
rmSync(dir, { recursive: true, force: true });
