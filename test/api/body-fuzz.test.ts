import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';
import { assertMatchesContract } from '../helpers/contract.ts';
import { garbage, hostileValues, mutated } from '../helpers/hostile-input.ts';

/**
 * Generated bodies for every /v1 operation that takes one, sent to the service's app in process:
 * valid bodies with one field made hostile, or bytes that are not JSON. Every answer is below 500
 * and matches openapi.yaml (status, content type, error shape). (clock:advance is left out: a valid
 * jump of years sets the workers metering them, which is load, not input handling.)
 */
let h: Harness;
let owner: { id: string; token: string };
let admin: string;
let clusterId: string;

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
  admin = await h.adminToken();
  clusterId = (await h.runningCluster(owner.token)).id;
});
after(() => h.stop());

interface Route {
  method: string;
  path: () => string;
  token: () => string | undefined;
  seed: () => Record<string, unknown>;
}

const ROUTES: Route[] = [
  { method: 'POST', path: () => '/v1/auth/token', token: () => undefined, seed: () => ({ apiKey: 'kates_nope' }) },
  { method: 'POST', path: () => '/v1/tenants', token: () => admin, seed: () => ({ name: 'fuzz', plan: 'free' }) },
  { method: 'POST', path: () => `/v1/tenants/${owner.id}/api-keys`, token: () => owner.token, seed: () => ({ name: 'k', role: 'viewer' }) },
  // Names that cannot be valid keep generated creates from provisioning clusters the test would wait on.
  { method: 'POST', path: () => '/v1/clusters', token: () => owner.token, seed: () => ({ ...defaultClusterBody(), name: 'Not A Valid Name' }) },
  {
    method: 'PATCH',
    path: () => `/v1/clusters/${clusterId}`,
    token: () => owner.token,
    seed: () => ({ labels: { team: 'a' }, nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }] }),
  },
  {
    method: 'POST',
    path: () => `/v1/clusters/${clusterId}/tokens`,
    token: () => owner.token,
    seed: () => ({ name: 't', role: 'view', namespaces: ['default'] }),
  },
  {
    method: 'PUT',
    path: () => `/v1/clusters/${clusterId}/autoscaler/settings`,
    token: () => owner.token,
    seed: () => ({ scaleDownEnabled: true, expander: 'least-waste', maxNodesTotal: 10 }),
  },
  {
    method: 'PUT',
    path: () => `/v1/clusters/${clusterId}/traffic`,
    token: () => owner.token,
    seed: () => ({ services: [{ namespace: 'default', name: 'web', requestsPerSecond: 10 }] }),
  },
  {
    method: 'PUT',
    path: () => `/v1/clusters/${clusterId}/cloud-faults`,
    token: () => owner.token,
    seed: () => ({ nodePools: [{ name: 'default', failRate: 0.5 }] }),
  },
  {
    method: 'POST',
    path: () => '/v1/estimates',
    token: () => owner.token,
    seed: () => ({ provider: 'eks', region: 'us-east-1', hours: 730, nodePools: [{ count: 3, instanceType: 'm5.large' }] }),
  },
  {
    method: 'POST',
    path: () => '/v1/billing/budgets',
    token: () => owner.token,
    seed: () => ({ name: 'b', amount: { amount: '100.00', currency: 'USD' }, thresholds: [50, 90] }),
  },
];

const FIELDS = [
  'name',
  'labels',
  'nodePools',
  'count',
  'instanceType',
  'provider',
  'region',
  'role',
  'namespaces',
  'seconds',
  'services',
  'amount',
  'currency',
  'thresholds',
  'hours',
  'plan',
  'apiKey',
  'minCount',
  'maxCount',
];
const hostile = hostileValues(FIELDS);

const request = fc
  .record({ route: fc.constantFrom(...ROUTES), raw: fc.nat(9) })
  .chain(({ route, raw }) => (raw === 0 ? garbage : mutated(route.seed(), hostile, FIELDS)).map((body) => ({ route, body })));

test('generated bodies on every /v1 operation that takes one never answer 5xx and always match the contract', async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(request, async ({ route, body }) => {
      const path = route.path();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const token = route.token();
      if (token) headers.authorization = `Bearer ${token}`;
      const payload = body instanceof Uint8Array || typeof body === 'string' ? body : JSON.stringify(body);
      const res = await h.runtime.app.request(path, { method: route.method, headers, body: payload });
      const text = await res.text();
      assert.ok(res.status < 500, `${route.method} ${path} → ${res.status}: ${text.slice(0, 300)}\nbody: ${String(payload).slice(0, 300)}`);
      assertMatchesContract(route.method, path, res.status, res.headers.get('content-type') ?? undefined, text ? JSON.parse(text) : undefined);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 2000) },
  );
  // Not everything bounced off the parser: some bodies were valid enough to succeed.
  assert.ok(
    [...statuses].some(([s, n]) => s < 300 && n > 0),
    JSON.stringify([...statuses]),
  );
});
