import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { startHarness, type Harness, type HttpResponse } from '../helpers/harness.ts';

/**
 * Hostile or malformed bodies sent to a running service over HTTPS: each is refused with a 4xx in
 * the API's own error shape (a Kubernetes Status under /clusters/{id}/k8s, the /v1 error body
 * elsewhere), never a 500, and nothing is stored.
 */
let h: Harness;
let owner: { id: string; token: string };
let clusterId: string;
let kubeToken: string;

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
  clusterId = (await h.runningCluster(owner.token)).id;
  const config = parse((await h.request('GET', `/v1/clusters/${clusterId}/kubeconfig`, { token: owner.token })).text);
  kubeToken = config.users[0].user.token;
});
after(() => h.stop());

const CMS = '/api/v1/namespaces/default/configmaps';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';

function kube(method: string, path: string, body: unknown, contentType = 'application/json'): Promise<HttpResponse> {
  const rawBody = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  return h.request(method, `/clusters/${clusterId}/k8s${path}`, { token: kubeToken, rawBody, headers: { 'content-type': contentType } }).catch((e) => {
    throw new Error(`${method} ${path} ${String(rawBody).length}: ${e}`);
  });
}

function assertStatus(r: HttpResponse, code: number, reason: string, message?: RegExp): void {
  assert.equal(r.status, code, r.text.slice(0, 300));
  assert.equal(r.body.kind, 'Status');
  assert.equal(r.body.reason, reason);
  if (message) assert.match(r.body.message, message);
}

const configMap = (name: string, data: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

async function assertAbsent(path: string): Promise<void> {
  assert.equal((await kube('GET', path, undefined)).status, 404, `${path} was stored`);
}

test('a body nested 5,000 objects or 100,000 arrays deep is a 400 on both APIs, not a stack overflow', async () => {
  const deepObject = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
  const deepArray = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  for (const body of [deepObject, deepArray]) {
    assertStatus(await kube('POST', CMS, body), 400, 'BadRequest', /nests deeper than 256 levels/);
    assertStatus(await kube('POST', CMS, body, 'application/yaml'), 400, 'BadRequest', /nests deeper than 256 levels/);
  }
  await kube('POST', CMS, configMap('target', { a: 'b' }));
  for (const type of ['application/merge-patch+json', 'application/strategic-merge-patch+json']) {
    assertStatus(await kube('PATCH', `${CMS}/target`, `{"data":{"a":"c"},"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, type), 400, 'BadRequest');
  }
  assertStatus(await kube('PATCH', `${CMS}/target?fieldManager=t`, `x: ${'['.repeat(100_000)}`, 'application/apply-patch+yaml'), 400, 'BadRequest');
  await assertAbsent(`${CMS}/deep`);

  const v1 = await h.request('POST', '/v1/clusters', {
    token: owner.token,
    rawBody: `{"name":"x","labels":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(v1.status, 400, v1.text);
  assert.equal(v1.body.error.code, 'BAD_REQUEST');
  assert.match(v1.body.error.message, /nests deeper than 64 levels/);
});

test('a Deployment whose spec is a string is 422 Invalid naming spec, before defaulting reads it', async () => {
  const r = await kube('POST', DEPLOYS, { ...deployment('stringy'), spec: 'x' });
  assertStatus(r, 422, 'Invalid', /^Deployment\.apps "stringy" is invalid: spec: Invalid value: "string": must be of type object$/);
  assert.deepEqual(r.body.details.causes, [{ reason: 'FieldValueTypeInvalid', message: 'Invalid value: "string": must be of type object', field: 'spec' }]);
  await assertAbsent(`${DEPLOYS}/stringy`);
  // The same through a patch of a stored Deployment, and deeper down the pod template.
  assert.equal((await kube('POST', DEPLOYS, deployment('web'))).status, 201);
  assertStatus(
    await kube('PATCH', `${DEPLOYS}/web`, { spec: { template: { spec: { containers: 'nginx' } } } }, 'application/merge-patch+json'),
    422,
    'Invalid',
    /spec\.template\.spec\.containers: Invalid value: "string": must be of type array/,
  );
  assertStatus(
    await kube('PATCH', `${DEPLOYS}/web`, [{ op: 'replace', path: '/spec/replicas', value: 1.5 }], 'application/json-patch+json'),
    422,
    'Invalid',
    /spec\.replicas: Invalid value: "number": must be of type integer/,
  );
});

test('a patch on __proto__ or constructor/prototype is refused in every patch type and pollutes nothing', async () => {
  assert.equal((await kube('POST', CMS, configMap('proto', { a: 'b' }))).status, 201);
  for (const path of ['/__proto__', '/data/__proto__/polluted', '/constructor/prototype/polluted']) {
    assertStatus(
      await kube('PATCH', `${CMS}/proto`, [{ op: 'add', path, value: { polluted: 'yes' } }], 'application/json-patch+json'),
      422,
      'Invalid',
      /may not contain the segment/,
    );
  }
  const polluting = '{"data":{"a":"c"},"__proto__":{"polluted":"yes"}}';
  assertStatus(await kube('PATCH', `${CMS}/proto`, polluting, 'application/merge-patch+json'), 400, 'BadRequest', /may not use the field name "__proto__"/);
  assertStatus(
    await kube('PATCH', `${CMS}/proto`, '{"metadata":{"constructor":{"prototype":{"polluted":"yes"}}}}', 'application/strategic-merge-patch+json'),
    400,
    'BadRequest',
    /"prototype" \(at metadata\.constructor\.prototype\)/,
  );
  assertStatus(
    await kube(
      'PATCH',
      `${CMS}/proto?fieldManager=t`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: proto\n__proto__:\n  polluted: "yes"\n',
      'application/apply-patch+yaml',
    ),
    400,
    'BadRequest',
  );
  assertStatus(await kube('POST', CMS, '{"metadata":{"name":"p2"},"data":{"__proto__":"x"}}'), 400, 'BadRequest');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const stored = await kube('GET', `${CMS}/proto`, undefined);
  assert.deepEqual(stored.body.data, { a: 'b' });
});

test('ConfigMap and Secret data over 1 MiB is 422 and a body over 1.5 MiB is 413', async () => {
  const twoMiB = await kube('POST', CMS, configMap('two-mib', { a: 'x'.repeat(2 * 1024 * 1024) }));
  assertStatus(twoMiB, 413, 'RequestEntityTooLarge', /^Request entity too large: limit is 1572864$/);
  const over = await kube('POST', CMS, configMap('over', { a: 'x'.repeat(700 * 1024), b: 'y'.repeat(400 * 1024) }));
  assertStatus(over, 422, 'Invalid', /^ConfigMap "over" is invalid: data: Too long: must have at most 1048576 bytes$/);
  // Grown past the limit by patches that each fit in a request.
  assert.equal((await kube('POST', CMS, configMap('grows', { a: 'x'.repeat(1000 * 1024) }))).status, 201);
  assertStatus(
    await kube('PATCH', `${CMS}/grows`, { data: { b: 'y'.repeat(100 * 1024) } }, 'application/merge-patch+json'),
    422,
    'Invalid',
    /Too long: must have at most 1048576 bytes/,
  );
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'big' }, data: { a: btoa('z'.repeat(1024 * 1024 + 1)) } };
  assertStatus(
    await kube('POST', '/api/v1/namespaces/default/secrets', secret),
    422,
    'Invalid',
    /^Secret "big" is invalid: data: Too long: must have at most 1048576 bytes$/,
  );
  await assertAbsent(`${CMS}/over`);
  // Any object: patches may not grow it past etcd's request limit.
  const annotated = {
    ...deployment('grown'),
    spec: {
      ...deployment('grown').spec,
      template: { ...deployment('grown').spec.template, metadata: { labels: { app: 'grown' }, annotations: { a: 'x'.repeat(200 * 1024) } } },
    },
  };
  assert.equal((await kube('POST', DEPLOYS, annotated)).status, 201);
  for (let i = 0; i < 7; i++) {
    const r = await kube('PATCH', `${DEPLOYS}/grown`, { spec: { template: { spec: { [`x${i}`]: 'y'.repeat(200 * 1024) } } } }, 'application/merge-patch+json');
    if (r.status !== 200) {
      assertStatus(r, 413, 'RequestEntityTooLarge', /^Deployment "grown" would be larger than 1572864 bytes once stored$/);
      break;
    }
    assert.ok(i < 6, 'the object grew past 1.5 MiB');
  }
  // Exactly 1 MiB is allowed.
  assert.equal((await kube('POST', CMS, configMap('exact', { a: 'x'.repeat(1024 * 1024) }))).status, 201);
});

test('a number as a ConfigMap value is 422, as is binaryData that is not base64', async () => {
  const r = await kube('POST', CMS, configMap('num', { a: 5 }));
  assertStatus(r, 422, 'Invalid', /^ConfigMap "num" is invalid: data\[a\]: Invalid value: "integer": must be of type string$/);
  assert.equal(r.body.details.causes[0].field, 'data[a]');
  const binary = await kube('POST', CMS, { metadata: { name: 'bin' }, binaryData: { a: 'not base64!' } });
  assertStatus(binary, 422, 'Invalid', /binaryData\[a\]: Invalid value: "<binary data>": illegal base64 data/);
  await assertAbsent(`${CMS}/num`);
});

test('a body that is not valid UTF-8 is 400 on both APIs instead of being stored with U+FFFD', async () => {
  const enc = new TextEncoder();
  const bytes = new Uint8Array([...enc.encode('{"metadata":{"name":"latin1"},"data":{"a":"caf'), 0xe9, ...enc.encode('"}}')]);
  assertStatus(await kube('POST', CMS, bytes), 400, 'BadRequest', /^the request body is not valid UTF-8$/);
  await kube('POST', CMS, configMap('utf', { a: 'b' }));
  assertStatus(
    await kube('PATCH', `${CMS}/utf`, new Uint8Array([...enc.encode('{"data":{"a":"'), 0xff, ...enc.encode('"}}')]), 'application/merge-patch+json'),
    400,
    'BadRequest',
    /not valid UTF-8/,
  );
  await assertAbsent(`${CMS}/latin1`);
  const v1 = await h.request('POST', '/v1/clusters', {
    token: owner.token,
    rawBody: new Uint8Array([...enc.encode('{"name":"caf'), 0xe9, ...enc.encode('"}')]),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(v1.status, 400, v1.text);
  assert.equal(v1.body.error.message, 'the request body is not valid UTF-8');
});

test('a CPU request of 1e308 is 422, as is any quantity beyond 2^63-1', async () => {
  const pod = (cpu: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'huge' },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }] },
  });
  const r = await kube('POST', '/api/v1/namespaces/default/pods', pod('1e308'));
  assertStatus(
    r,
    422,
    'Invalid',
    /^Pod "huge" is invalid: spec\.containers\[0\]\.resources\.requests\[cpu\]: Invalid value: "1e308": must be no more than 9223372036854775807/,
  );
  assertStatus(await kube('POST', '/api/v1/namespaces/default/pods', pod('1e400')), 422, 'Invalid');
  const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { 'requests.memory': '100Ei' } } };
  assertStatus(await kube('POST', '/api/v1/namespaces/default/resourcequotas', quota), 422, 'Invalid', /spec\.hard\[requests\.memory\]/);
  await assertAbsent('/api/v1/namespaces/default/pods/huge');
  assert.equal((await kube('POST', '/api/v1/namespaces/default/pods', pod('1e3'))).status, 201);
});
