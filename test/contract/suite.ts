import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ContractClient, type ContractResponse } from './client.ts';

export interface ContractOptions {
  baseUrl: string;
  adminKey: string;
  /** PEM of the CA that signed the deployment's certificate, when it is not publicly trusted. */
  ca?: string;
  /** How long a cluster may take to become RUNNING or DELETED. */
  timeoutMs?: number;
  /** One line per step as it finishes. */
  report?: (line: string) => void;
}

export interface StepResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  error?: string;
}

class StepFailure extends Error {}

function expect(cond: unknown, message: string): asserts cond {
  if (!cond) throw new StepFailure(message);
}
const expectStatus = (r: ContractResponse, status: number, what: string) =>
  expect(r.status === status, `${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 300)}`);

/**
 * The management API's contract, exercised over HTTP against any running deployment: sign in, make
 * a tenant and a key, create a cluster, see it RUNNING, use its kubeconfig, delete it. Every /v1
 * response is validated against openapi.yaml. Steps depend on each other, so the first failure
 * skips the rest.
 */
export async function runContractSuite(o: ContractOptions): Promise<{ results: StepResult[]; checked: number }> {
  const client = new ContractClient(o.baseUrl.replace(/\/$/, ''), o.ca);
  const timeoutMs = o.timeoutMs ?? 60_000;
  const suffix = Math.random().toString(36).slice(2, 8);
  const s: {
    admin?: string;
    tenantId?: string;
    keyId?: string;
    ownerKey?: string;
    owner?: string;
    clusterId?: string;
    operationId?: string;
    kubeconfig?: string;
  } = {};

  const poll = async (what: string, fn: () => Promise<boolean>) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await fn()) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new StepFailure(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
  };

  const steps: [string, () => Promise<void>][] = [
    [
      'serves the committed contract at /openapi.yaml',
      async () => {
        const r = await client.request('GET', '/openapi.yaml');
        expectStatus(r, 200, 'GET /openapi.yaml');
        const committed = readFileSync(resolve(import.meta.dirname, '../../openapi.yaml'), 'utf8');
        expect(r.text === committed, 'the deployment serves a different openapi.yaml than this checkout: it runs another version of the API');
      },
    ],
    [
      'serves an HTML reference at /docs',
      async () => {
        const r = await client.request('GET', '/docs');
        expectStatus(r, 200, 'GET /docs');
        expect(String(r.headers['content-type']).startsWith('text/html'), `GET /docs answered ${r.headers['content-type']}`);
      },
    ],
    [
      'publishes its signing keys at /.well-known/jwks.json',
      async () => {
        const r = await client.request('GET', '/.well-known/jwks.json');
        expectStatus(r, 200, 'GET /.well-known/jwks.json');
        expect(
          Array.isArray(r.body.keys) && r.body.keys.length > 0 && r.body.keys.every((k: { kid?: string; d?: string }) => k.kid && !k.d),
          'the JWKS must list public keys with a kid',
        );
      },
    ],
    [
      'refuses /v1 without a token (401, error shape)',
      async () => {
        const r = await client.request('GET', '/v1/clusters');
        expectStatus(r, 401, 'GET /v1/clusters without a token');
        expect(r.body.error?.code === 'UNAUTHORIZED', 'error code UNAUTHORIZED');
      },
    ],
    [
      'the operator signs in with the admin key',
      async () => {
        const r = await client.request('POST', '/v1/auth/token', { body: { apiKey: o.adminKey } });
        expectStatus(r, 200, 'POST /v1/auth/token (admin key)');
        s.admin = r.body.accessToken;
      },
    ],
    [
      'creates a tenant and an owner API key',
      async () => {
        const t = await client.request('POST', '/v1/tenants', { token: s.admin, body: { name: `contract-${suffix}` } });
        expectStatus(t, 201, 'POST /v1/tenants');
        s.tenantId = t.body.id;
        const k = await client.request('POST', `/v1/tenants/${s.tenantId}/api-keys`, { token: s.admin, body: { name: 'contract-suite', role: 'owner' } });
        expectStatus(k, 201, 'POST /v1/tenants/{id}/api-keys');
        s.keyId = k.body.id;
        s.ownerKey = k.body.key;
      },
    ],
    [
      'the tenant signs in with its key',
      async () => {
        const r = await client.request('POST', '/v1/auth/token', { body: { apiKey: s.ownerKey } });
        expectStatus(r, 200, 'POST /v1/auth/token (owner key)');
        expect(r.body.tokenType === 'Bearer' && r.body.expiresIn > 0, 'a Bearer token with expiresIn');
        s.owner = r.body.accessToken;
      },
    ],
    [
      'rejects an invalid cluster with 422 naming the field',
      async () => {
        const r = await client.request('POST', '/v1/clusters', {
          token: s.owner,
          body: { name: 'Not_A_Name', provider: 'eks', region: 'us-east-1', nodePools: [{ name: 'default', instanceType: 'm5.large', count: 1 }] },
        });
        expectStatus(r, 422, 'POST /v1/clusters with a bad name');
        expect(r.body.error.details?.issues?.[0]?.field === 'name', `the failing field is name: ${r.text}`);
      },
    ],
    [
      'creates a cluster: 202 PROVISIONING with Location and an operation; a retry with the same Idempotency-Key returns it',
      async () => {
        const body = { name: `contract-${suffix}`, provider: 'eks', region: 'us-east-1', nodePools: [{ name: 'default', instanceType: 'm5.large', count: 2 }] };
        const headers = { 'idempotency-key': `contract-${suffix}` };
        const r = await client.request('POST', '/v1/clusters', { token: s.owner, body, headers });
        expectStatus(r, 202, 'POST /v1/clusters');
        expect(r.body.status === 'PROVISIONING', `status PROVISIONING, got ${r.body.status}`);
        expect(r.headers.location === `/v1/clusters/${r.body.id}`, `Location /v1/clusters/${r.body.id}, got ${r.headers.location}`);
        s.clusterId = r.body.id;
        s.operationId = r.body.operation.id;
        const again = await client.request('POST', '/v1/clusters', { token: s.owner, body, headers });
        expectStatus(again, 202, 'POST /v1/clusters again with the same Idempotency-Key');
        expect(again.body.id === s.clusterId, 'the same cluster');
      },
    ],
    [
      'the cluster becomes RUNNING and its operation SUCCEEDED',
      async () => {
        await poll(
          'the cluster to be RUNNING',
          async () => (await client.request('GET', `/v1/clusters/${s.clusterId}`, { token: s.owner })).body.status === 'RUNNING',
        );
        const op = await client.request('GET', `/v1/operations/${s.operationId}`, { token: s.owner });
        expectStatus(op, 200, 'GET /v1/operations/{id}');
        expect(op.body.status === 'SUCCEEDED', `operation SUCCEEDED, got ${op.body.status}`);
      },
    ],
    [
      'lists the cluster',
      async () => {
        const r = await client.request('GET', '/v1/clusters', { token: s.owner });
        expectStatus(r, 200, 'GET /v1/clusters');
        expect(
          r.body.items.some((c: { id: string }) => c.id === s.clusterId),
          'the new cluster is listed',
        );
      },
    ],
    [
      "downloads a kubeconfig whose server and token open the cluster's Kubernetes API",
      async () => {
        const r = await client.request('GET', `/v1/clusters/${s.clusterId}/kubeconfig`, { token: s.owner });
        expectStatus(r, 200, 'GET /v1/clusters/{id}/kubeconfig');
        const config = parse(r.text);
        const entry = config.clusters?.[0]?.cluster;
        const token = config.users?.[0]?.user?.token;
        expect(
          entry?.server && new URL(entry.server).pathname === '/' && token,
          'a server URL without a path (the token or the host names the cluster) and a token',
        );
        const ca = entry['certificate-authority-data'] ? atob(entry['certificate-authority-data']) : undefined;
        const v = await client.request('GET', `${entry.server}/version`, { token, ca });
        expectStatus(v, 200, 'GET <server>/version with the kubeconfig token');
        expect(v.body.major === '1' && v.body.minor === '32', `version 1.32, got ${v.text}`);
        const ns = await client.request('GET', `${entry.server}/api/v1/namespaces`, { token, ca });
        expectStatus(ns, 200, 'GET <server>/api/v1/namespaces');
      },
    ],
    [
      'deletes the cluster: 202 DELETING, then DELETED and gone from the default list',
      async () => {
        const r = await client.request('DELETE', `/v1/clusters/${s.clusterId}`, { token: s.owner });
        expectStatus(r, 202, 'DELETE /v1/clusters/{id}');
        expect(r.body.status === 'DELETING', `status DELETING, got ${r.body.status}`);
        await poll(
          'the cluster to be DELETED',
          async () => (await client.request('GET', `/v1/clusters/${s.clusterId}`, { token: s.owner })).body.status === 'DELETED',
        );
        const list = await client.request('GET', '/v1/clusters', { token: s.owner });
        expect(!list.body.items.some((c: { id: string }) => c.id === s.clusterId), 'a DELETED cluster leaves the default list');
      },
    ],
    [
      "revokes the suite's API key, which then cannot sign in",
      async () => {
        const r = await client.request('DELETE', `/v1/tenants/${s.tenantId}/api-keys/${s.keyId}`, { token: s.admin });
        expectStatus(r, 200, 'DELETE /v1/tenants/{id}/api-keys/{keyId}');
        const again = await client.request('POST', '/v1/auth/token', { body: { apiKey: s.ownerKey } });
        expectStatus(again, 401, 'POST /v1/auth/token with the revoked key');
      },
    ],
  ];

  const results: StepResult[] = [];
  let failed = false;
  for (const [name, run] of steps) {
    if (failed) {
      results.push({ name, status: 'skipped', ms: 0 });
      o.report?.(`- ${name} (skipped)`);
      continue;
    }
    const started = Date.now();
    try {
      await run();
      results.push({ name, status: 'passed', ms: Date.now() - started });
      o.report?.(`✔ ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed = true;
      const error = err instanceof Error ? err.message : String(err);
      results.push({ name, status: 'failed', ms: Date.now() - started, error });
      o.report?.(`✖ ${name}\n    ${error.split('\n').join('\n    ')}`);
    }
  }
  return { results, checked: client.checked };
}
