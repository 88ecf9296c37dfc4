import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { execFile } from 'node:child_process';
import { loadConfig } from '../../src/config.ts';
import { startRuntime, type Runtime } from '../../src/platform/node-runtime.ts';
import { randomString } from '../../src/lib/ids.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { assertMatchesContract } from './contract.ts';
import { waitFor } from './wait.ts';
import { testDatabaseEnv } from './database.ts';

export interface HttpResponse<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as-is (for malformed JSON tests, or bytes that are not UTF-8). */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Skip the OpenAPI response check (for non-/v1 paths). */
  noContract?: boolean;
}

export interface Harness {
  runtime: Runtime;
  url: string;
  dataDir: string;
  adminKey: string;
  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<HttpResponse<T>>;
  adminToken(): Promise<string>;
  /** A new tenant with an owner key; returns its id, key and access token. */
  tenant(name?: string): Promise<{ id: string; key: string; token: string }>;
  keyFor(tenantId: string, ownerToken: string, role: string): Promise<{ id: string; key: string; token: string }>;
  tokenFor(apiKey: string): Promise<string>;
  /** Creates a cluster and waits until it is RUNNING. */
  runningCluster(token: string, body?: Record<string, unknown>): Promise<any>;
  waitFor<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs?: number): Promise<T>;
  /** Writes the cluster's kubeconfig to a file and returns its path. */
  kubeconfig(token: string, clusterId: string): Promise<string>;
  kubectl(kubeconfigPath: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  clock?: Clock;
  env?: Record<string, string>;
  role?: 'all' | 'api' | 'worker';
  dataDir?: string;
}

export const defaultClusterBody = () => ({
  name: `c-${randomString(6)}`,
  provider: 'eks',
  region: 'us-east-1',
  nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }],
});

/**
 * A test service's config on `dataDir`: loopback, the run's Redis (REDIS_URL from scripts/test.ts)
 * with a queue prefix of its own, the run's database, a fresh admin key and a rate limit no test meets.
 */
export function testConfig(dataDir: string, env: Record<string, string> = {}) {
  const adminKey = `admin-${randomString(24)}`;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    REDIS_URL: process.env.REDIS_URL,
    KATES_ADMIN_KEY: adminKey,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    QUEUE_PREFIX: `t${randomString(8)}`,
    RATE_LIMIT_PER_MINUTE: '100000',
    ...testDatabaseEnv(dataDir),
    ...env,
  });
  return { adminKey, config };
}

/**
 * The whole service in-process: real HTTPS on a free port, a temp SQLite file, the run's redis-server
 * (REDIS_URL from scripts/test.ts, or a private one) with a random queue prefix, API and workers.
 */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kates-test-'));
  const { adminKey, config } = testConfig(dataDir, opts.env);
  const runtime = await startRuntime(config, { role: opts.role, clock: opts.clock });
  const url = runtime.url!;
  const ca = runtime.deps.caCert;
  // Kubeconfigs and tokens carry PUBLIC_URL; point it at the real port now that it is known.
  (runtime.deps.config as { publicUrl: string }).publicUrl = url;

  const request = async <T = any>(method: string, path: string, o: RequestOptions = {}): Promise<HttpResponse<T>> => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let payload: string | Uint8Array | undefined = o.rawBody;
    if (o.body !== undefined) {
      payload = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await new Promise<HttpResponse<T>>((resolve, reject) => {
      const target = new URL(path, url);
      const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, { method, headers, ca }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c) => chunks.push(c));
        r.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any = text;
          if ((r.headers['content-type'] ?? '').includes('json')) body = text ? JSON.parse(text) : undefined;
          resolve({ status: r.statusCode ?? 0, headers: r.headers, text, body });
        });
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
    if (!o.noContract && path.startsWith('/v1/')) assertMatchesContract(method, path, res.status, res.headers['content-type'] as string | undefined, res.body);
    return res;
  };

  const tokenFor = async (apiKey: string) => {
    const r = await request('POST', '/v1/auth/token', { body: { apiKey } });
    if (r.status !== 200) throw new Error(`token exchange failed: ${r.status} ${r.text}`);
    return r.body.accessToken as string;
  };
  const adminToken = () => tokenFor(adminKey);

  const keyFor = async (tenantId: string, ownerToken: string, role: string) => {
    const r = await request('POST', `/v1/tenants/${tenantId}/api-keys`, { token: ownerToken, body: { name: role, role } });
    if (r.status !== 201) throw new Error(`key creation failed: ${r.status} ${r.text}`);
    return { id: r.body.id, key: r.body.key, token: await tokenFor(r.body.key) };
  };

  const tenant = async (name = `t-${randomString(8)}`) => {
    const admin = await adminToken();
    const t = await request('POST', '/v1/tenants', { token: admin, body: { name } });
    if (t.status !== 201) throw new Error(`tenant creation failed: ${t.status} ${t.text}`);
    const k = await keyFor(t.body.id, admin, 'owner');
    return { id: t.body.id as string, key: k.key as string, token: k.token };
  };

  const runningCluster = async (token: string, body: Record<string, unknown> = defaultClusterBody()) => {
    const r = await request('POST', '/v1/clusters', { token, body });
    if (r.status !== 202) throw new Error(`cluster creation failed: ${r.status} ${r.text}`);
    // RUNNING is written just before the controllers are woken and the operation marked done: wait for
    // both, so a test's next change does not meet the CREATE operation still in progress (409).
    const opId: string | undefined = r.body.operation?.id;
    return waitFor(async () => {
      const g = await request('GET', `/v1/clusters/${r.body.id}`, { token });
      if (g.body.status !== 'RUNNING') return undefined;
      if (opId && (await request('GET', `/v1/operations/${opId}`, { token })).body.status !== 'SUCCEEDED') return undefined;
      return g.body;
    }, `cluster ${r.body.id} RUNNING`);
  };

  const kubeconfig = async (token: string, clusterId: string) => {
    const r = await request('GET', `/v1/clusters/${clusterId}/kubeconfig`, { token });
    if (r.status !== 200) throw new Error(`kubeconfig failed: ${r.status} ${r.text}`);
    const path = join(dataDir, `kubeconfig-${clusterId}`);
    writeFileSync(path, r.text);
    return path;
  };

  const kubectl = (kubeconfigPath: string, args: string[], input?: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        'kubectl',
        [`--kubeconfig=${kubeconfigPath}`, `--cache-dir=${join(dataDir, 'kube-cache')}`, ...args],
        { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      if (input !== undefined) {
        child.stdin!.write(input);
        child.stdin!.end();
      }
    });

  return {
    runtime,
    url,
    dataDir,
    adminKey,
    request,
    adminToken,
    tenant,
    keyFor,
    tokenFor,
    runningCluster,
    waitFor,
    kubeconfig,
    kubectl,
    async stop() {
      await runtime.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
