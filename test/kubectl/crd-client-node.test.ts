import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import fc from 'fast-check';
import { startKubeServer, type KubeServer } from '../kube/helpers/https.ts';

let s: KubeServer;
let kc: k8s.KubeConfig;

before(async () => {
  s = await startKubeServer();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(s.kubeconfig());
});
after(async () => {
  await s.stop();
});

const crd = (group: string, scope: 'Namespaced' | 'Cluster' = 'Namespaced'): k8s.V1CustomResourceDefinition => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${group}` },
  spec: {
    group,
    scope,
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1beta1',
        served: true,
        storage: false,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
      },
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: { size: { type: 'integer', _default: 3 }, color: { type: 'string', _enum: ['red', 'blue'], nullable: true } },
              },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
      },
    ],
  },
});

async function established(ext: k8s.ApiextensionsV1Api, name: string): Promise<k8s.V1CustomResourceDefinition> {
  const got = await ext.readCustomResourceDefinition({ name });
  assert.deepEqual(
    got.status?.conditions?.map((c) => [c.type, c.status, c.reason]),
    [
      ['NamesAccepted', 'True', 'NoConflicts'],
      ['Established', 'True', 'InitialNamesAccepted'],
    ],
  );
  return got;
}

test('client-node: a CRD is established and listed in discovery; custom objects are created, listed, watched, patched and versioned', async () => {
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const objs = kc.makeApiClient(k8s.CustomObjectsApi);
  await ext.createCustomResourceDefinition({ body: crd('shop.example.com') });
  const got = await established(ext, 'widgets.shop.example.com');
  assert.deepEqual(got.status?.storedVersions, ['v1']);
  assert.equal(got.status?.acceptedNames?.listKind, 'WidgetList');
  assert.ok(got.metadata?.finalizers?.includes('customresourcecleanup.apiextensions.k8s.io'));

  // Legacy discovery: the group with v1 preferred (GA before beta), and its resources.
  const apis = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
  const group = apis.groups.find((g) => g.name === 'shop.example.com');
  assert.deepEqual([group?.preferredVersion?.version, group?.versions.map((v) => v.version)], ['v1', ['v1', 'v1beta1']]);

  // The schema is published in OpenAPI v3 and v2, with the type meta and ObjectMeta added.
  const v3 = (await s.json('GET', '/openapi/v3/apis/shop.example.com/v1')).body;
  const widget = v3.components.schemas['com.example.shop.v1.Widget'];
  assert.deepEqual(widget['x-kubernetes-group-version-kind'], [{ group: 'shop.example.com', version: 'v1', kind: 'Widget' }]);
  assert.equal(widget.properties.spec.properties.size.default, 3);
  assert.ok(v3.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  const v2 = (await s.json('GET', '/openapi/v2')).body;
  assert.equal(v2.definitions['com.example.shop.v1.Widget'].properties.metadata.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.ok(v2.definitions['com.example.shop.v1beta1.Widget']);

  const events: string[] = [];
  const watch = new k8s.Watch(kc);
  const req = await watch.watch(
    '/apis/shop.example.com/v1/namespaces/default/widgets',
    {},
    (type, obj) => events.push(`${type} ${obj.metadata.name} ${obj.spec?.size}`),
    () => {},
  );
  const body = { apiVersion: 'shop.example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { color: null } };
  const created: any = await objs.createNamespacedCustomObject({ group: 'shop.example.com', version: 'v1', namespace: 'default', plural: 'widgets', body });
  assert.equal(created.spec.size, 3, 'defaulted');
  assert.equal(created.spec.color, null, 'nullable keeps null');
  // The same object through the other served version.
  const beta: any = await objs.getNamespacedCustomObject({
    group: 'shop.example.com',
    version: 'v1beta1',
    namespace: 'default',
    plural: 'widgets',
    name: 'w1',
  });
  assert.equal(beta.apiVersion, 'shop.example.com/v1beta1');
  const patched: any = await objs.patchNamespacedCustomObject(
    { group: 'shop.example.com', version: 'v1', namespace: 'default', plural: 'widgets', name: 'w1', body: { spec: { size: 5 } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  assert.equal(patched.spec.size, 5);
  assert.equal(patched.metadata.generation, 2);
  const status: any = await objs.patchNamespacedCustomObjectStatus({
    group: 'shop.example.com',
    version: 'v1',
    namespace: 'default',
    plural: 'widgets',
    name: 'w1',
    body: [{ op: 'add', path: '/status', value: { ready: true } }],
  });
  assert.equal(status.status.ready, true);
  assert.equal(status.metadata.generation, 2, 'status writes do not bump generation');
  await assert.rejects(
    objs.patchNamespacedCustomObjectStatus({
      group: 'shop.example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
      name: 'w1',
      body: [{ op: 'replace', path: '/status/ready', value: 'yes' }],
    }),
    (e: any) => e.code === 422 && /status.ready: Invalid value: "string": status.ready in body must be of type boolean/.test(JSON.parse(e.body).message),
  );
  const list: any = await objs.listNamespacedCustomObject({ group: 'shop.example.com', version: 'v1', namespace: 'default', plural: 'widgets' });
  assert.deepEqual(
    list.items.map((o: any) => o.metadata.name),
    ['w1'],
  );
  assert.equal(list.kind, 'WidgetList');
  await objs.deleteNamespacedCustomObject({ group: 'shop.example.com', version: 'v1', namespace: 'default', plural: 'widgets', name: 'w1' });
  for (let i = 0; i < 50 && events.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
  req.abort();
  assert.deepEqual(events, ['ADDED w1 3', 'MODIFIED w1 5', 'MODIFIED w1 5', 'DELETED w1 5']);

  // Validation answers 422 Invalid with upstream's wording.
  await assert.rejects(
    objs.createNamespacedCustomObject({
      group: 'shop.example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
      body: { ...body, metadata: { name: 'w2' }, spec: { color: 'green', size: 'big' } },
    }),
    (e: any) => {
      const st = JSON.parse(e.body);
      assert.equal(e.code, 422);
      assert.equal(st.reason, 'Invalid');
      assert.match(st.message, /^Widget.shop.example.com "w2" is invalid: \[/);
      assert.match(st.message, /spec.color: Unsupported value: "green": supported values: "red", "blue"/);
      assert.match(st.message, /spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"/);
      return true;
    },
  );
});

test('client-node: invalid CRDs are refused with 422 and upstream messages', async () => {
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const refuse = async (body: unknown, message: RegExp) =>
    assert.rejects(ext.createCustomResourceDefinition({ body: body as k8s.V1CustomResourceDefinition }), (e: any) => {
      assert.equal(e.code, 422, e.body);
      assert.match(JSON.parse(e.body).message, message);
      return true;
    });
  const good = crd('bad.example.com');
  await refuse(
    { ...good, metadata: { name: 'wrong.bad.example.com' } },
    /metadata.name: Invalid value: "wrong.bad.example.com": must be spec.names.plural\+"."\+spec.group/,
  );
  await refuse({ ...good, spec: { ...good.spec, scope: 'Galaxy' } }, /spec.scope: Unsupported value: "Galaxy": supported values: "Cluster", "Namespaced"/);
  await refuse(
    { ...good, spec: { ...good.spec, versions: good.spec.versions.map((v) => ({ ...v, storage: true })) } },
    /spec.versions: Invalid value.*must have exactly one version marked as storage version/,
  );
  await refuse(
    { ...good, spec: { ...good.spec, versions: [{ name: 'v1', served: true, storage: true }] } },
    /spec.versions\[0\].schema.openAPIV3Schema: Required value: schemas are required/,
  );
  await refuse(
    {
      ...good,
      spec: {
        ...good.spec,
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { properties: {} } } } } }],
      },
    },
    /spec.versions\[0\].schema.openAPIV3Schema.properties\[spec\].type: Required value: must not be empty for specified object fields/,
  );
  await refuse(
    { ...crd('apps.k8s.io'), metadata: { name: 'widgets.apps.k8s.io' } },
    /protected groups must have approval annotation "api-approved.kubernetes.io"/,
  );
});

test('hostile CRDs and custom objects get a 4xx Status, never a 500', async () => {
  const base = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const post = (path: string, body: unknown) => s.json('POST', path, { body });
  const schemaNode = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, 1, 'x', true, [], {}),
      fc.record(
        {
          type: fc.constantFrom('object', 'string', 'integer', 'array', 'number', 'boolean', 'weird', 7),
          properties: fc.dictionary(fc.constantFrom('a', 'b', 'spec', '__proto__', 'metadata'), tie('node')),
          items: tie('node'),
          pattern: fc.constantFrom('^a+$', '(', '[', 5),
          default: fc.constantFrom(1, 'x', null, {}),
          enum: fc.constantFrom([1, 'a'], 'notalist'),
          required: fc.constantFrom(['a'], 'a', [1]),
          minLength: fc.constantFrom(1, -1, 'x'),
          'x-kubernetes-int-or-string': fc.boolean(),
          'x-kubernetes-preserve-unknown-fields': fc.boolean(),
          nullable: fc.boolean(),
          maximum: fc.constantFrom(3, 'x'),
        },
        { requiredKeys: [] },
      ),
    ),
  }));
  // Valid structural schemas, so objects of the accepted CRDs meet pruning, defaulting and validation.
  const validNode = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(
        { type: 'string', pattern: '^a+$' },
        { type: 'string', enum: ['a', 'b'], nullable: true },
        { type: 'integer', maximum: 3, default: 1 },
        { 'x-kubernetes-int-or-string': true },
        { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        { type: 'number', minimum: 0, exclusiveMinimum: true },
        { type: 'string', enum: 'notalist' },
        { type: 'object', required: 'a', properties: { a: { type: 'string' } } },
      ),
      fc.record({ type: fc.constant('object'), properties: fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('node')) }),
      fc.record({ type: fc.constant('array'), items: tie('node'), maxItems: fc.constant(2) }),
    ),
  })).node;
  const root = fc.oneof(schemaNode.node, fc.record({ type: fc.constant('object'), properties: fc.record({ spec: validNode, a: validNode }) }));
  let n = 0;
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(root, fc.constantFrom('Namespaced', 'Cluster', 'Namespaced', 'x', undefined), async (schema, scope) => {
      const group = `g${n++}.fuzz.example.com`;
      const body = {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `things.${group}` },
        spec: {
          group,
          scope,
          names: { plural: 'things', kind: 'Thing' },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
        },
      };
      const r = await post(base, body);
      assert.ok(r.status < 500, JSON.stringify(r.body));
      if (r.status !== 201) return;
      accepted++;
      const objUrl = `/apis/${group}/v1/${scope === 'Cluster' ? '' : 'namespaces/default/'}things`;
      for (const spec of [null, 1, 'x', { a: 1 }, { a: { b: [1, 'x'] } }, []]) {
        const o = await post(objUrl, { apiVersion: `${group}/v1`, kind: 'Thing', metadata: { name: 'x' }, spec, a: spec, b: spec });
        assert.ok(o.status < 500, JSON.stringify(o.body));
      }
    }),
    { numRuns: 60 },
  );
  assert.ok(accepted > 0, 'some generated CRDs are valid, so their objects are tried too');
});
