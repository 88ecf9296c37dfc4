import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultClusterBody } from '../helpers/harness.ts';
import { startApp, type InProcessApp } from '../helpers/app.ts';

/**
 * Bad requests never reach a worker: malformed → 400, wrong media type → 415, invalid → 422 naming the
 * field. Only answers matter here, so the app runs in process, without workers.
 */
let h: InProcessApp;
let owner: { id: string; key: string; token: string };

before(async () => {
  h = await startApp();
  owner = await h.tenant();
});
after(() => h.stop());

const pool = (over: Record<string, unknown> = {}) => ({ name: 'default', instanceType: 'm5.large', count: 3, ...over });
const body = (over: Record<string, unknown>) => ({ ...defaultClusterBody(), ...over });

async function clusterCount(): Promise<number> {
  // Every live cluster, whatever its status (a PROVISIONING one may turn RUNNING while we count).
  return (await h.request('GET', '/v1/clusters?limit=200', { token: owner.token })).body.items.length;
}

test('malformed JSON is 400 BAD_REQUEST on every body-taking endpoint', async () => {
  const admin = await h.adminToken();
  for (const [path, token] of [
    ['/v1/clusters', owner.token],
    ['/v1/tenants', admin],
    [`/v1/tenants/${owner.id}/api-keys`, owner.token],
    ['/v1/auth/token', undefined],
  ] as const) {
    for (const raw of ['{"name":', '{name: "x"}', '']) {
      const r = await h.request('POST', path, { token, rawBody: raw, headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 400, `${path} ${raw}: ${r.text}`);
      assert.equal(r.body.error.code, 'BAD_REQUEST');
      assert.match(r.body.error.message, /JSON/);
    }
  }
});

test('a body that is not JSON is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
  const r = await h.request('POST', '/v1/clusters', {
    token: owner.token,
    rawBody: JSON.stringify(defaultClusterBody()),
    headers: { 'content-type': 'text/plain' },
  });
  assert.equal(r.status, 415);
  assert.equal(r.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
});

test('a body over 1 MiB is 413 PAYLOAD_TOO_LARGE', async () => {
  const r = await h.request('POST', '/v1/clusters', { token: owner.token, body: body({ labels: { big: 'x'.repeat(1024 * 1024) } }) });
  assert.equal(r.status, 413);
  assert.equal(r.body.error.code, 'PAYLOAD_TOO_LARGE');
});

test('JSON that is not an object is 422', async () => {
  for (const raw of ['[]', 'null', '"cluster"', '42']) {
    const r = await h.request('POST', '/v1/clusters', { token: owner.token, rawBody: raw, headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 422, raw);
    assert.equal(r.body.error.code, 'VALIDATION_FAILED');
  }
});

test('unknown fields are 422 naming each one, at the top level and inside node pools and taints', async () => {
  const r = await h.request('POST', '/v1/clusters', {
    token: owner.token,
    body: body({ color: 'blue', nodePools: [pool({ spot: true, taints: [{ key: 'a', effect: 'NoSchedule', until: 'never' }] })] }),
  });
  assert.equal(r.status, 422);
  const fields = r.body.error.details.issues.map((i: { field: string }) => i.field).sort();
  assert.deepEqual(fields, ['color', 'nodePools.0.spot', 'nodePools.0.taints.0.until']);
  assert.ok(r.body.error.details.issues.every((i: { message: string }) => i.message === 'unknown field'));
  const patch = await h.request('PATCH', '/v1/clusters/cls_whatever', { token: owner.token, body: { nodePools: [{ name: 'default', size: 3 }] } });
  assert.equal(patch.status, 422);
  assert.equal(patch.body.error.details.issues[0].field, 'nodePools.0.size');
  const tenant = await h.request('POST', '/v1/tenants', { token: await h.adminToken(), body: { name: 'ok-name', owner: 'me' } });
  assert.equal(tenant.status, 422);
  assert.equal(tenant.body.error.details.issues[0].field, 'owner');
});

/** Each case changes one thing in a valid request; the 422 must name exactly that field. */
const invalid: { what: string; body: Record<string, unknown>; field: string; message?: RegExp }[] = [
  { what: 'upper-case name', body: body({ name: 'Prod' }), field: 'name', message: /DNS-1123/ },
  { what: 'name with underscore', body: body({ name: 'my_cluster' }), field: 'name' },
  { what: 'name ending in a dash', body: body({ name: 'web-' }), field: 'name' },
  { what: 'name longer than 40', body: body({ name: 'a'.repeat(41) }), field: 'name' },
  { what: 'empty name', body: body({ name: '' }), field: 'name' },
  { what: 'missing name', body: (({ name: _n, ...rest }) => rest)(defaultClusterBody()), field: 'name' },
  { what: 'unknown provider', body: body({ provider: 'ibm' }), field: 'provider' },
  { what: 'unknown region', body: body({ region: 'mars-north-1' }), field: 'region', message: /unknown eks region/ },
  { what: 'a GKE region on EKS', body: body({ region: 'us-central1' }), field: 'region' },
  { what: 'unknown tier', body: body({ tier: 'gold' }), field: 'tier', message: /known: standard, extended/ },
  { what: 'an AKS tier on EKS', body: body({ tier: 'premium' }), field: 'tier' },
  {
    what: 'unknown instance type',
    body: body({ nodePools: [pool({ instanceType: 'm5.huge' })] }),
    field: 'nodePools.0.instanceType',
    message: /unknown eks instance type/,
  },
  { what: 'a GKE machine type on EKS', body: body({ nodePools: [pool({ instanceType: 'e2-standard-4' })] }), field: 'nodePools.0.instanceType' },
  {
    what: 'instance type in the second pool',
    body: body({ nodePools: [pool(), pool({ name: 'gpu', instanceType: 'p9.mega' })] }),
    field: 'nodePools.1.instanceType',
  },
  { what: 'negative count', body: body({ nodePools: [pool({ count: -1 })] }), field: 'nodePools.0.count' },
  { what: 'fractional count', body: body({ nodePools: [pool({ count: 1.5 })] }), field: 'nodePools.0.count' },
  { what: 'count as a string', body: body({ nodePools: [pool({ count: '3' })] }), field: 'nodePools.0.count' },
  { what: 'count over 1000', body: body({ nodePools: [pool({ count: 1001 })] }), field: 'nodePools.0.count' },
  { what: 'count above maxCount', body: body({ nodePools: [pool({ count: 5, maxCount: 4 })] }), field: 'nodePools.0.count' },
  { what: 'count below minCount', body: body({ nodePools: [pool({ count: 1, minCount: 2, maxCount: 4 })] }), field: 'nodePools.0.count' },
  { what: 'minCount above maxCount', body: body({ nodePools: [pool({ count: 3, minCount: 5, maxCount: 4 })] }), field: 'nodePools.0.minCount' },
  { what: 'no node pools', body: body({ nodePools: [] }), field: 'nodePools' },
  { what: 'eleven node pools', body: body({ nodePools: Array.from({ length: 11 }, (_, i) => pool({ name: `p${i}`, count: 1 })) }), field: 'nodePools' },
  { what: 'duplicate pool names', body: body({ nodePools: [pool(), pool()] }), field: 'nodePools.1.name', message: /duplicate/ },
  { what: 'bad pool name', body: body({ nodePools: [pool({ name: 'Default' })] }), field: 'nodePools.0.name' },
  { what: 'bad taint effect', body: body({ nodePools: [pool({ taints: [{ key: 'k', effect: 'Never' }] })] }), field: 'nodePools.0.taints.0.effect' },
  { what: 'version too old', body: body({ kubernetesVersion: '1.26' }), field: 'kubernetesVersion', message: /1\.27/ },
  { what: 'version too new', body: body({ kubernetesVersion: '1.34' }), field: 'kubernetesVersion' },
  { what: 'version with a patch', body: body({ kubernetesVersion: '1.32.4' }), field: 'kubernetesVersion' },
  { what: 'version as a number', body: body({ kubernetesVersion: 1.32 }), field: 'kubernetesVersion' },
  { what: 'timeScale 0', body: body({ timeScale: 0 }), field: 'timeScale' },
  { what: 'timeScale above 3600', body: body({ timeScale: 3601 }), field: 'timeScale' },
  { what: 'labels with a non-string value', body: body({ labels: { team: 7 } }), field: 'labels.team' },
];

for (const c of invalid) {
  test(`422 for ${c.what} (field ${c.field})`, async () => {
    const r = await h.request('POST', '/v1/clusters', { token: owner.token, body: c.body });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.error.code, 'VALIDATION_FAILED');
    const fields = r.body.error.details.issues.map((i: { field: string }) => i.field);
    assert.deepEqual(fields, [c.field], r.text);
    assert.ok(r.body.error.message.startsWith(`${c.field}: `), r.body.error.message);
    if (c.message) assert.match(r.body.error.details.issues[0].message, c.message);
  });
}

test('every provider accepts its own catalog: tiers, regions and instance types', async () => {
  const ok = [
    { provider: 'eks', tier: 'extended', region: 'eu-west-1', nodePools: [pool({ instanceType: 'm5.large', count: 1 })] },
    { provider: 'gke', tier: 'autopilot', region: 'us-central1', nodePools: [pool({ instanceType: 'e2-standard-4', count: 1 })] },
    { provider: 'aks', tier: 'premium', region: 'eastus', nodePools: [pool({ instanceType: 'Standard_D4s_v5', count: 1 })] },
  ];
  for (const spec of ok) {
    const r = await h.request('POST', '/v1/clusters', { token: owner.token, body: body(spec) });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.tier, spec.tier);
    assert.equal(r.body.kubernetesVersion, '1.32');
    assert.equal(r.body.timeScale, 1);
  }
});

test('invalid requests create nothing', async () => {
  const before = await clusterCount();
  for (const c of invalid) await h.request('POST', '/v1/clusters', { token: owner.token, body: c.body });
  assert.equal(await clusterCount(), before);
});

test('query parameters are validated too: list limit, status and cursor', async () => {
  const limit = await h.request('GET', '/v1/clusters?limit=0', { token: owner.token });
  assert.equal(limit.status, 422);
  assert.equal(limit.body.error.details.issues[0].field, 'limit');
  const status = await h.request('GET', '/v1/clusters?status=SLEEPING', { token: owner.token });
  assert.equal(status.status, 422);
  assert.equal(status.body.error.details.issues[0].field, 'status');
  const cursor = await h.request('GET', '/v1/clusters?cursor=%%%', { token: owner.token });
  assert.equal(cursor.status, 400);
  assert.match(cursor.body.error.message, /cursor/);
});
