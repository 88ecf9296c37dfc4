import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeTestApp } from './helpers/app.ts';

const AGG =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

test('/version reports the cluster minor so kubectl picks its 1.32 binary', async () => {
  const k = await kubeTestApp();
  const res = await k.call('GET', '/version?timeout=5s', { token: 'none' });
  const v = (await res.json()) as any;
  assert.equal(res.status, 200);
  assert.equal(v.major, '1');
  assert.equal(v.minor, '32');
  assert.match(v.gitVersion, /^v1\.32\.\d+/);
});

test('aggregated discovery answers with its exact content type and load-bearing fields', async () => {
  const k = await kubeTestApp();
  const core = await k.call('GET', '/api?timeout=32s', { accept: AGG });
  assert.match(core.headers.get('content-type')!, /^application\/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList/);
  const coreBody = (await core.json()) as any;
  assert.equal(coreBody.items.length, 1);
  assert.equal(coreBody.items[0].metadata.name, '');
  const pods = coreBody.items[0].versions[0].resources.find((r: any) => r.resource === 'pods');
  assert.deepEqual(pods.responseKind, { group: '', version: 'v1', kind: 'Pod' });
  assert.equal(pods.scope, 'Namespaced');
  assert.deepEqual(pods.shortNames, ['po']);
  assert.deepEqual(pods.categories, ['all']);
  const groups = (await (await k.call('GET', '/apis', { accept: AGG })).json()) as any;
  const autoscaling = groups.items.find((g: any) => g.metadata.name === 'autoscaling');
  assert.deepEqual(
    autoscaling.versions.map((v: any) => v.version),
    ['v2', 'v1'],
    'v2 first: it is the preferred version',
  );
  const deploy = groups.items.find((g: any) => g.metadata.name === 'apps').versions[0].resources.find((r: any) => r.resource === 'deployments');
  assert.deepEqual(
    deploy.subresources.map((s: any) => s.subresource),
    ['scale', 'status'],
  );
  assert.deepEqual(deploy.subresources[0].responseKind, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
});

test('legacy discovery: APIVersions, APIGroupList and per-group-version resource lists', async () => {
  const k = await kubeTestApp();
  assert.deepEqual((await k.json('GET', '/api')).body.versions, ['v1']);
  const list = (await k.json('GET', '/apis')).body;
  assert.equal(list.kind, 'APIGroupList');
  assert.deepEqual(list.groups.find((g: any) => g.name === 'autoscaling').preferredVersion, { groupVersion: 'autoscaling/v2', version: 'v2' });
  const apps = (await k.json('GET', '/apis/apps/v1')).body;
  assert.equal(apps.kind, 'APIResourceList');
  const scale = apps.resources.find((r: any) => r.name === 'deployments/scale');
  assert.deepEqual([scale.group, scale.version, scale.kind], ['autoscaling', 'v1', 'Scale']);
});

test('metrics.k8s.io appears only when a metrics API is wired, and routes to it', async () => {
  const plain = await kubeTestApp();
  assert.equal(
    (await plain.json('GET', '/apis')).body.groups.some((g: any) => g.name === 'metrics.k8s.io'),
    false,
  );
  const k = await kubeTestApp({
    deps: {
      metricsApi: {
        list: async (_c, which) => (which === 'nodes' ? [{ apiVersion: '', kind: '', metadata: { name: 'n1' }, usage: { cpu: '250m' } }] : []),
        get: async () => undefined,
      },
    },
  });
  const nodes = (await k.json('GET', '/apis/metrics.k8s.io/v1beta1/nodes')).body;
  assert.equal(nodes.kind, 'NodeMetricsList');
  assert.equal(nodes.items[0].usage.cpu, '250m');
  const missing = await k.json('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web');
  assert.equal(missing.body.message, 'podmetrics.metrics.k8s.io "default/web" not found');
});

test('OpenAPI v3: the index points at per-group-version documents under the cluster prefix, with fieldValidation', async () => {
  const k = await kubeTestApp();
  const index = (await k.json('GET', '/openapi/v3')).body;
  assert.equal(index.paths['apis/apps/v1'].serverRelativeURL, `/clusters/${k.clusterId}/k8s/openapi/v3/apis/apps/v1`);
  const doc = (await k.json('GET', '/openapi/v3/apis/apps/v1')).body;
  const post = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments'].post;
  assert.deepEqual(post['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.ok(post.parameters.some((p: any) => p.name === 'fieldValidation'));
  const schema = doc.components.schemas['io.k8s.api.apps.v1.Deployment'];
  assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  assert.ok(doc.components.schemas['io.k8s.api.core.v1.Container'], 'referenced types are included');
});

test('OpenAPI v2: one Swagger 2.0 document of every served kind, as JSON or as protobuf', async () => {
  const k = await kubeTestApp();
  const doc = (await k.json('GET', '/openapi/v2', { accept: 'application/json' })).body;
  assert.equal(doc.swagger, '2.0');
  const deployment = doc.definitions['io.k8s.api.apps.v1.Deployment'];
  assert.deepEqual(deployment['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  assert.equal(deployment.properties.spec.$ref, '#/definitions/io.k8s.api.apps.v1.DeploymentSpec');
  assert.equal(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format, 'int-or-string');
  const post = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments'].post;
  assert.equal(post.parameters[0].in, 'body');
  assert.ok(!JSON.stringify(doc).includes('#/components/schemas/'), 'references point into definitions');
  const pb = await k.call('GET', '/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
  assert.equal(pb.status, 200);
  assert.equal(pb.headers.get('content-type'), 'application/octet-stream');
  const bytes = new Uint8Array(await pb.arrayBuffer());
  // gnostic Document: field 1 (swagger) first, then the rest; kubectl's explain test decodes it whole.
  assert.deepEqual([...bytes.subarray(0, 5)], [0x0a, 3, ...new TextEncoder().encode('2.0')]);
  const other = await k.json('GET', '/openapi/v2', { accept: 'text/html' });
  assert.equal(other.status, 406);
  assert.equal(other.body.reason, 'NotAcceptable');
});
