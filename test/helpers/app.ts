import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntime, type Runtime } from '../../src/platform/node-runtime.ts';
import { operationDeps } from '../../src/core-services.ts';
import { runOperation } from '../../src/services/operations/run.ts';
import { createApiKey, createTenant } from '../../src/services/tenants/tenants.ts';
import type { TenantRole } from '../../src/auth/principal.ts';
import { randomString } from '../../src/lib/ids.ts';
import { assertMatchesContract } from './contract.ts';
import { defaultClusterBody, testConfig, type HttpResponse, type RequestOptions } from './harness.ts';
import { waitFor } from './wait.ts';

/** A tenant made for a test: its id, an owner API key and that key's access token. */
export interface TestTenant {
  id: string;
  key: string;
  token: string;
}

export interface InProcessApp {
  runtime: Runtime;
  adminKey: string;
  /** `app.request` on the service's own Hono app; /v1 answers are checked against openapi.yaml. */
  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<HttpResponse<T>>;
  adminToken(): Promise<string>;
  /** A new tenant (standard plan unless told) with an owner key and its token, made without /v1 calls. */
  tenant(opts?: { name?: string; plan?: string }): Promise<TestTenant>;
  /** A new API key of `role` in the tenant and a token signed for it, as `POST /v1/auth/token` would answer. */
  keyFor(tenantId: string, role: TenantRole): Promise<{ id: string; key: string; token: string }>;
  /** Runs an operation to its end (or hand-over) as a worker would, in this process. */
  runOperation(operationId: string): Promise<void>;
  /** Creates a cluster through the API and runs its CREATE operation: it answers RUNNING. */
  runningCluster(token: string, body?: Record<string, unknown>): Promise<any>;
  waitFor: typeof waitFor;
  stop(): Promise<void>;
}

/**
 * The /v1 app in-process: the service's own composition (`startRuntime` with the API role) on a temp
 * SQLite file and the run's redis-server (rate limits, queues, change notices), but no HTTP listener
 * and no workers. Requests go through `app.request`; operations stay PENDING until a test runs them
 * with `runOperation`, so what a route answers does not depend on a worker's timing.
 */
export async function startApp(opts: { env?: Record<string, string> } = {}): Promise<InProcessApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kates-app-'));
  const { adminKey, config } = testConfig(dataDir, opts.env);
  const runtime = await startRuntime(config, { role: 'api', listen: false });
  const { deps } = runtime;

  const request = async <T = any>(method: string, path: string, o: RequestOptions = {}): Promise<HttpResponse<T>> => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let payload: string | Uint8Array | undefined = o.rawBody;
    if (o.body !== undefined) {
      payload = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await runtime.app.request(path, { method, headers, body: payload as RequestInit['body'] });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    const body = contentType.includes('json') && text ? JSON.parse(text) : text;
    const out: HttpResponse<T> = { status: res.status, headers: Object.fromEntries(res.headers), text, body };
    if (!o.noContract && path.startsWith('/v1/')) assertMatchesContract(method, path, res.status, contentType || undefined, out.body);
    return out;
  };

  const signedToken = async (keyId: string, tenantId: string | undefined, role: TenantRole | 'admin') =>
    (await deps.tokens.mintAccessToken({ subject: keyId, tenantId, role })).token;

  const keyFor = async (tenantId: string, role: TenantRole) => {
    const { row, key } = await createApiKey(deps.database, { tenantId, name: role, role }, Date.now());
    return { id: row.id, key, token: await signedToken(row.id, tenantId, role) };
  };

  const run = (operationId: string) => runOperation(operationDeps(deps), operationId);
  let admin: Promise<string> | undefined;

  return {
    runtime,
    adminKey,
    request,
    adminToken() {
      admin ??= createApiKey(deps.database, { tenantId: null, name: 'admin', role: 'admin' }, Date.now()).then(({ row }) =>
        signedToken(row.id, undefined, 'admin'),
      );
      return admin;
    },
    async tenant({ name = `t-${randomString(8)}`, plan }: { name?: string; plan?: string } = {}) {
      const row = await createTenant(deps.database, { name, plan }, Date.now());
      const owner = await keyFor(row.id, 'owner');
      return { id: row.id, key: owner.key, token: owner.token };
    },
    keyFor,
    runOperation: run,
    async runningCluster(token, body = defaultClusterBody()) {
      const r = await request('POST', '/v1/clusters', { token, body });
      if (r.status !== 202) throw new Error(`cluster creation failed: ${r.status} ${r.text}`);
      await run(r.body.operation.id);
      return (await request('GET', `/v1/clusters/${r.body.id}`, { token })).body;
    },
    waitFor,
    async stop() {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
