import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames: [ct]
    categories: [all]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
        labelSelectorPath: .status.labelSelector
    additionalPrinterColumns:
    - name: Spec
      type: string
      description: The cron spec defining the interval a CronJob is run
      jsonPath: .spec.cronSpec
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        description: CronTab runs an image on a schedule.
        properties:
          spec:
            type: object
            description: The desired schedule and image.
            properties:
              cronSpec:
                type: string
                description: When to run, in cron format.
                pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
              image:
                type: string
              replicas:
                type: integer
                minimum: 1
                maximum: 10
                default: 1
              port:
                x-kubernetes-int-or-string: true
              extra:
                type: object
                x-kubernetes-preserve-unknown-fields: true
            required: [image]
          status:
            type: object
            properties:
              replicas:
                type: integer
              labelSelector:
                type: string
`;

const cr = (name: string, spec: string) => `
apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: ${name}
spec:
${spec}
`;

test('a CustomResourceDefinition serves its kind: discovery, printer columns, categories, scale, status, pruning, defaulting, validation, explain, cascade', async () => {
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token);
  const kc = await h.kubeconfig(owner.token, cluster.id);
  const run = (args: string[], input?: string) => h.kubectl(kc, args, input);
  const ok = async (args: string[], input?: string) => {
    const r = await run(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  assert.match(await ok(['apply', '-f', '-'], CRD), /customresourcedefinition.apiextensions.k8s.io\/crontabs.stable.example.com created/);
  await ok(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s']);
  assert.match(await ok(['api-resources', '--api-group=stable.example.com']), /crontabs\s+ct\s+stable.example.com\/v1\s+true\s+CronTab/);
  assert.match(await ok(['get', 'crd']), /^NAME\s+CREATED AT\ncrontabs.stable.example.com\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);

  // Without strict validation unknown fields are pruned silently.
  assert.match(
    await ok(
      ['apply', '--validate=false', '-f', '-'],
      cr('daily', "  cronSpec: '0 0 * * *'\n  image: busybox\n  port: http\n  unknown: dropped\n  extra: {kept: here}"),
    ),
    /crontab.stable.example.com\/daily created/,
  );
  const daily = JSON.parse(await ok(['get', 'ct', 'daily', '-o', 'json']));
  assert.equal(daily.spec.replicas, 1, 'defaulted');
  assert.equal(daily.spec.unknown, undefined, 'pruned');
  assert.deepEqual(daily.spec.extra, { kept: 'here' }, 'x-kubernetes-preserve-unknown-fields');
  assert.equal(daily.spec.port, 'http', 'int-or-string');

  // Printer columns as upstream prints them.
  const table = await ok(['get', 'crontabs']);
  assert.match(table, /^NAME\s+SPEC\s+REPLICAS\s+AGE\n/);
  assert.match(table, /^daily\s+0 0 \* \* \*\s+1\s+\d+s$/m);
  // The `all` category.
  assert.match(await ok(['get', 'all']), /crontab.stable.example.com\/daily/);

  // Validation: 422 with upstream's wording; strict field validation refuses unknown fields.
  const bad = await run(['apply', '-f', '-'], cr('bad', "  cronSpec: 'every day'\n  image: busybox\n  replicas: 20"));
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /The CronTab "bad" is invalid:/);
  assert.match(bad.stderr, /spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10/);
  assert.match(bad.stderr, /spec.cronSpec: Invalid value: "every day": spec.cronSpec in body should match/);
  const missing = await run(['create', '-f', '-'], cr('missing', "  cronSpec: '0 0 * * *'"));
  assert.match(missing.stderr, /spec.image: Required value/);
  const typed = await run(['create', '-f', '-'], cr('typed', '  image: 5'));
  assert.match(typed.stderr, /spec.image: Invalid value: "integer": spec.image in body must be of type string: "integer"/);
  const strict = await run(['create', '--validate=strict', '-f', '-'], cr('strict', '  image: x\n  nope: 1'));
  assert.match(strict.stderr, /unknown field "spec.nope"/);

  // Patches: merge and JSON patch work; strategic merge is refused with 415 as upstream does.
  await ok(['patch', 'ct', 'daily', '--type=merge', '-p', '{"spec":{"image":"alpine"}}']);
  await ok(['patch', 'ct', 'daily', '--type=json', '-p', '[{"op":"replace","path":"/spec/cronSpec","value":"5 0 * * *"}]']);
  const smp = await run(['patch', 'ct', 'daily', '-p', '{"spec":{"image":"x"}}']);
  assert.match(smp.stderr, /UnsupportedMediaType|unknown format/);
  await ok(['apply', '--server-side', '-f', '-'], cr('ssa', '  image: nginx'));
  // Client-side apply of a change: kubectl finds no patch strategies for the kind and merges as JSON.
  assert.match(
    await ok(['apply', '-f', '-'], cr('ssa', '  image: nginx\n  cronSpec: "1 2 3 4 5"')),
    /crontab.stable.example.com\/ssa (configured|serverside-applied)/,
  );

  // Scale and status subresources.
  assert.match(await ok(['scale', 'crontab/daily', '--replicas=3']), /crontab.stable.example.com\/daily scaled/);
  assert.equal(JSON.parse(await ok(['get', 'ct', 'daily', '-o', 'json'])).spec.replicas, 3);
  await ok(['patch', 'ct', 'daily', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":3,"labelSelector":"app=cron","junk":1}}']);
  const scale = JSON.parse(await ok(['get', 'ct', 'daily', '--subresource=scale', '-o', 'json']));
  assert.deepEqual([scale.spec.replicas, scale.status.replicas, scale.status.selector], [3, 3, 'app=cron']);
  const withStatus = JSON.parse(await ok(['get', 'ct', 'daily', '-o', 'json']));
  assert.equal(withStatus.status.junk, undefined, 'status is pruned too');
  // The main resource does not write status.
  await ok(['patch', 'ct', 'daily', '--type=merge', '-p', '{"status":{"replicas":9}}']);
  assert.equal(JSON.parse(await ok(['get', 'ct', 'daily', '-o', 'json'])).status.replicas, 3);

  // explain reads the CRD's schema from OpenAPI v3.
  const explain = await ok(['explain', 'crontab.spec']);
  assert.match(explain, /The desired schedule and image/);
  assert.match(explain, /cronSpec\s+<string>/);
  assert.match(await ok(['explain', 'crontab.spec.cronSpec']), /When to run, in cron format/);

  // A custom object owns what names it as owner: the garbage collector deletes dependents once it goes.
  const ssa = JSON.parse(await ok(['get', 'ct', 'ssa', '-o', 'json']));
  const dependent = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'owned', ownerReferences: [{ apiVersion: 'stable.example.com/v1', kind: 'CronTab', name: 'ssa', uid: ssa.metadata.uid }] },
  };
  await ok(['apply', '-f', '-'], JSON.stringify(dependent));
  await ok(['delete', 'ct', 'ssa']);
  await ok(['wait', '--for=delete', 'configmap/owned', '--timeout=30s']);

  // Deleting the CRD deletes its objects (a finalizer of one holds it, Terminating, taking no new
  // objects), and then the kind is no longer served.
  await ok(['patch', 'ct', 'daily', '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']);
  await ok(['delete', 'crd', 'crontabs.stable.example.com', '--wait=false']);
  await ok(['wait', '--for=condition=Terminating', 'crd/crontabs.stable.example.com', '--timeout=30s']);
  const refused = await run(['create', '-f', '-'], cr('late', '  image: x'));
  assert.match(refused.stderr, /MethodNotAllowed|not allow/);
  await ok(['patch', 'ct', 'daily', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  await ok(['wait', '--for=delete', 'crd/crontabs.stable.example.com', '--timeout=60s']);
  const gone = await run(['get', 'crontabs']);
  // kubectl's discovery cache may still know the kind; the server does not serve it either way.
  assert.match(gone.stderr, /the server doesn't have a resource type "crontabs"|the server could not find the requested resource/);
  await ok(['apply', '-f', '-'], CRD);
  await ok(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s']);
  assert.match((await run(['get', 'crontabs'])).stderr, /No resources found/);
});
