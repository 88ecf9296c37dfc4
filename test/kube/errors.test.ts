import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeTestApp } from './helpers/app.ts';

const deploy = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    ...extra,
  },
});
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';

test('Status errors carry Kubernetes reasons, codes and messages', async () => {
  const k = await kubeTestApp();
  const nf = await k.json('GET', '/api/v1/namespaces/default/pods/nope');
  assert.equal(nf.status, 404);
  assert.deepEqual(nf.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'pods "nope" not found',
    reason: 'NotFound',
    details: { name: 'nope', kind: 'pods' },
    code: 404,
  });

  assert.equal((await k.json('POST', DEPLOYS, { body: deploy('web') })).status, 201);
  const dup = await k.json('POST', DEPLOYS, { body: deploy('web') });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.reason, 'AlreadyExists');
  assert.equal(dup.body.message, 'deployments.apps "web" already exists');

  const stale = (await k.json('GET', `${DEPLOYS}/web`)).body;
  stale.spec.replicas = 4;
  assert.equal((await k.json('PUT', `${DEPLOYS}/web`, { body: stale })).status, 200);
  const conflict = await k.json('PUT', `${DEPLOYS}/web`, { body: stale });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.reason, 'Conflict');
  assert.equal(
    conflict.body.message,
    'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
  );

  const bad = await k.json('POST', DEPLOYS, { body: deploy('x', { replicas: -1 }) });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.message, 'Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  assert.deepEqual(bad.body.details.causes, [
    { reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' },
  ]);

  const name = await k.json('POST', DEPLOYS, { body: deploy('My_App') });
  assert.equal(name.status, 422);
  assert.match(name.body.message, /^Deployment\.apps "My_App" is invalid: metadata\.name: Invalid value: "My_App": a lowercase RFC 1123 subdomain/);

  const mismatch = await k.json('POST', DEPLOYS, { body: { ...deploy('m'), spec: { ...deploy('m').spec, selector: { matchLabels: { app: 'other' } } } } });
  assert.equal(mismatch.status, 422);
  assert.match(mismatch.body.message, /`selector` does not match template `labels`/);
});

test('authentication, authorization and method errors', async () => {
  const k = await kubeTestApp();
  const unauth = await k.json('GET', '/api/v1/namespaces/default/pods', { token: 'bogus' });
  assert.equal(unauth.status, 401);
  assert.equal(unauth.body.reason, 'Unauthorized');

  const forbidden = await k.json('GET', '/api/v1/namespaces/default/pods', { token: 'viewer' });
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.body.message, 'pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "default"');
  assert.equal((await k.json('GET', '/api/v1/namespaces/team-a/pods', { token: 'viewer' })).status, 200);
  assert.equal((await k.json('GET', '/api/v1/namespaces/team-a/secrets', { token: 'viewer' })).status, 403);
  assert.equal((await k.json('GET', '/api/v1/pods', { token: 'viewer' })).status, 403);
  const createAsViewer = await k.json('POST', '/api/v1/namespaces/team-a/configmaps', { token: 'viewer', body: { metadata: { name: 'x' } } });
  assert.equal(createAsViewer.status, 403);
  assert.equal((await k.json('POST', '/api/v1/namespaces/team-a/configmaps', { token: 'editor', body: { metadata: { name: 'x' } } })).status, 201);
  assert.equal(
    (await k.json('POST', '/api/v1/namespaces/team-a/resourcequotas', { token: 'editor', body: { metadata: { name: 'q' }, spec: { hard: { pods: '1' } } } }))
      .status,
    403,
  );
  assert.equal((await k.json('GET', '/api/v1/nodes', { token: 'editor' })).status, 403);

  const ssar = await k.json('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    token: 'editor',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: 'team-a', verb: 'create', group: 'apps', resource: 'deployments' } },
    },
  });
  assert.equal(ssar.status, 201);
  assert.equal(ssar.body.status.allowed, true);
  const denied = await k.json('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    token: 'editor',
    body: { spec: { resourceAttributes: { namespace: 'default', verb: 'create', group: 'apps', resource: 'deployments' } } },
  });
  assert.equal(denied.body.status.allowed, false);

  assert.equal((await k.json('POST', '/api/v1/namespaces/default/pods/x')).status, 405);
  const patchType = await k.json('PATCH', '/api/v1/namespaces/default/configmaps/x', { body: '{}', contentType: 'text/plain' });
  assert.equal(patchType.status, 415);
  assert.equal(patchType.body.reason, 'UnsupportedMediaType');
});

test("a body over 1.5 MiB (etcd's request limit) is refused with 413", async () => {
  const k = await kubeTestApp();
  const big = JSON.stringify({ metadata: { name: 'big' }, data: { x: 'a'.repeat(1.5 * 1024 * 1024) } });
  const res = await k.json('POST', '/api/v1/namespaces/default/configmaps', { body: big });
  assert.equal(res.status, 413);
  assert.equal(res.body.reason, 'RequestEntityTooLarge');
  assert.equal(res.body.message, 'Request entity too large: limit is 1572864');
});

test('bad selectors, unknown fields and missing namespaces', async () => {
  const k = await kubeTestApp();
  const sel = await k.json('GET', '/api/v1/pods?labelSelector=a%20b');
  assert.equal(sel.status, 400);
  const field = await k.json('GET', '/api/v1/pods?fieldSelector=spec.bogus%3Dx');
  assert.equal(field.status, 400);
  assert.equal(field.body.message, 'field label not supported: spec.bogus');
  const ns = await k.json('POST', '/api/v1/namespaces/nowhere/configmaps', { body: { metadata: { name: 'x' } } });
  assert.equal(ns.status, 404);
  assert.equal(ns.body.message, 'namespaces "nowhere" not found');
  const unknown = await k.json('GET', '/apis/apps/v1/namespaces/default/widgets');
  assert.equal(unknown.status, 404);
  const gv = await k.json('GET', '/apis/nothing/v1');
  assert.equal(gv.status, 404);
});
