import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startKubeServer, type KubeServer } from '../kube/helpers/https.ts';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
let s: KubeServer;

before(async () => {
  s = await startKubeServer();
});
after(async () => {
  await s.stop();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await s.kubectl(args, { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

test('version, api-resources and explain', async () => {
  assert.match(await ok(['version']), /Server Version: v1\.32\.\d+/);
  const resources = await ok(['api-resources']);
  assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  assert.match(resources, /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m);
  const explain = await ok(['explain', 'deployment.spec.strategy.rollingUpdate']);
  assert.match(explain, /maxSurge\s+<IntOrString>/);
  assert.match(await ok(['explain', 'pods.spec.containers']), /image\s+<string>/);
  const httpGet = await ok(['explain', 'pod.spec.containers.livenessProbe.httpGet']);
  assert.match(httpGet, /HTTPGet specifies an HTTP GET request to perform/);
  assert.match(httpGet, /port\s+<IntOrString> -required-/);
  assert.match(httpGet, /httpHeaders\s+<\[\]HTTPHeader>/);
  // Upstream's descriptions, for every served kind.
  assert.match(await ok(['explain', 'pod.spec.containers.livenessProbe.httpGet.port']), /Name or number of the port to access on the container/);
  assert.match(await ok(['explain', 'crd.spec.names']), /plural\s+<string> -required-/);
  assert.match(await ok(['explain', 'hpa.spec.behavior']), /HorizontalPodAutoscalerBehavior configures the scaling behavior/);
  // kubectl reads /openapi/v2 as protobuf for its v2 output.
  const v2 = await ok(['explain', '--output=plaintext-openapiv2', 'deployment.spec.replicas']);
  assert.match(v2, /FIELD:\s+replicas <integer>/);
  assert.match(v2, /Number of desired pods/);
});

test('apply the example manifests; re-apply is unchanged; a changed manifest is configured', async () => {
  for (const f of ['hello-deploy.yaml', 'tkb-sts.yaml', 'storageclass-slow.yaml', 'cmvol.yaml', 'volpod.yaml']) await ok(['apply', '-f', `${EXAMPLES}${f}`]);
  assert.match(await ok(['apply', '-f', `${EXAMPLES}hello-deploy.yaml`]), /deployment\.apps\/hello-deploy unchanged/);
  const changed = readFileSync(`${EXAMPLES}hello-deploy.yaml`, 'utf8').replace('replicas: 10', 'replicas: 4').replace('maxSurge: 1', 'maxSurge: 2');
  assert.match(await ok(['apply', '-f', '-'], changed), /configured/);
  assert.equal(
    await ok(['get', 'deploy', 'hello-deploy', '-o', 'jsonpath={.spec.replicas}/{.spec.strategy.rollingUpdate.maxSurge}/{.metadata.generation}']),
    '4/2/2',
  );
  // Dropping the rollingUpdate block (strategy Recreate) goes through $retainKeys.
  const recreate = readFileSync(`${EXAMPLES}hello-deploy.yaml`, 'utf8').replace(
    /  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 1\n      maxSurge: 1\n/,
    '  strategy:\n    type: Recreate\n',
  );
  await ok(['apply', '-f', '-'], recreate);
  assert.equal(await ok(['get', 'deploy', 'hello-deploy', '-o', 'jsonpath={.spec.strategy}']), '{"type":"Recreate"}');
});

test('unknown fields: refused by default (strict), warned with --validate=warn', async () => {
  const bad = readFileSync(`${EXAMPLES}hello-deploy.yaml`, 'utf8')
    .replace('name: hello-deploy', 'name: typo')
    .replace('  replicas: 10', '  replicas: 10\n  replica: 3');
  const strict = await s.kubectl(['apply', '-f', '-'], { input: bad });
  assert.equal(strict.code, 1);
  assert.match(
    strict.stderr,
    /Error from server \(BadRequest\): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"/,
  );
  const warn = await s.kubectl(['apply', '--validate=warn', '-f', '-'], { input: bad });
  assert.equal(warn.code, 0);
  assert.match(warn.stderr, /Warning: unknown field "spec.replica"/);
  await ok(['delete', 'deploy', 'typo']);
});

test('get in every daily output format', async () => {
  assert.match(await ok(['get', 'pods']), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
  assert.match(await ok(['get', 'pods', '-o', 'wide']), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m);
  assert.match(await ok(['get', 'deploy']), /^hello-deploy\s+0\/10\s+0\s+0\s+\d+s$/m);
  const y = await ok(['get', 'sts', 'tkb-sts', '-o', 'yaml']);
  assert.match(y, /podManagementPolicy: OrderedReady/);
  const j = JSON.parse(await ok(['get', 'svc', 'dullahan', '-o', 'json']));
  assert.equal(j.spec.clusterIP, 'None');
  assert.deepEqual((await ok(['get', 'pods', '-o', 'name'])).trim().split('\n').sort(), ['pod/class-pod', 'pod/cmvol', 'pod/volpod']);
  assert.equal(await ok(['get', 'cm', 'multimap', '-o', 'jsonpath={.data.given} {.data.family}']), 'Nigel Poulton');
  const all = await ok(['get', 'deploy,svc,sts,pvc,cm', '-A']);
  assert.match(all, /^default\s+deployment\.apps\/hello-deploy/m);
  assert.match(all, /^default\s+persistentvolumeclaim\/pv-ticket\s+Pending\s+slow/m);
  assert.match(await ok(['get', 'sc']), /^slow \(default\)\s+kubernetes\.io\/gce-pd\s+Retain\s+Immediate/m);
});

test('describe, label, annotate and patch', async () => {
  const d = await ok(['describe', 'pod', 'cmvol']);
  assert.match(d, /^Name:\s+cmvol$/m);
  assert.match(d, /Type:\s+ConfigMap \(a volume populated by a ConfigMap\)/);
  assert.match(await ok(['label', 'pod', 'cmvol', 'tier=web']), /pod\/cmvol labeled/);
  assert.match(await ok(['annotate', 'pod', 'cmvol', 'owner=team-a']), /pod\/cmvol annotated/);
  assert.match(await ok(['get', 'pods', '-l', 'tier=web', '--show-labels']), /^cmvol\s+.*tier=web$/m);
  await ok(['patch', 'deploy', 'hello-deploy', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"hello-pod","image":"k8sbook:2.0"}]}}}}']);
  await ok(['patch', 'deploy', 'hello-deploy', '--type=merge', '-p', '{"spec":{"paused":true}}']);
  await ok(['patch', 'deploy', 'hello-deploy', '--type=json', '-p', '[{"op":"replace","path":"/spec/minReadySeconds","value":5}]']);
  assert.equal(
    await ok(['get', 'deploy', 'hello-deploy', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.spec.paused} {.spec.minReadySeconds}']),
    'k8sbook:2.0 true 5',
  );
  await ok(['set', 'image', 'deploy/hello-deploy', 'hello-pod=k8sbook:3.0']);
  assert.equal(await ok(['get', 'deploy', 'hello-deploy', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'k8sbook:3.0');
});

test('create from flags (protobuf bodies), replace, scale and autoscale', async () => {
  assert.match(await ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '--port=80']), /deployment\.apps\/web created/);
  await ok(['create', 'configmap', 'cfg', '--from-literal=a=1']);
  await ok(['create', 'secret', 'generic', 'sec', '--from-literal=pw=s3cret']);
  await ok(['create', 'namespace', 'dev']);
  await ok(['create', 'service', 'clusterip', 'web', '--tcp=80:80']);
  assert.match(await ok(['get', 'svc', 'web']), /^web\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP/m);
  const cm = JSON.parse(await ok(['get', 'cm', 'cfg', '-o', 'json']));
  cm.data.a = '2';
  delete cm.metadata.resourceVersion;
  assert.match(await ok(['replace', '-f', '-'], JSON.stringify(cm)), /configmap\/cfg replaced/);
  assert.equal(await ok(['get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}']), '2');
  assert.match(await ok(['scale', 'deploy/web', '--replicas=5']), /deployment\.apps\/web scaled/);
  assert.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '5');
  assert.match(await ok(['autoscale', 'deploy', 'web', '--min=2', '--max=10', '--cpu-percent=50']), /horizontalpodautoscaler\.autoscaling\/web autoscaled/);
  assert.match(await ok(['get', 'hpa']), /^web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+2\s+10\s+0/m);
});

test('server-side apply creates, updates, and reports conflicts with another manager', async () => {
  const ssa = readFileSync(`${EXAMPLES}hello-deploy.yaml`, 'utf8').replace('name: hello-deploy', 'name: ssa');
  assert.match(await ok(['apply', '--server-side', '-f', '-'], ssa), /deployment\.apps\/ssa serverside-applied/);
  await ok(['patch', 'deploy', 'ssa', '--field-manager=hand-edit', '--type=merge', '-p', '{"spec":{"replicas":3}}']);
  const r = await s.kubectl(['apply', '--server-side', '-f', '-'], { input: ssa });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Apply failed with 1 conflict: conflict with "hand-edit" using apps\/v1: \.spec\.replicas/);
  await ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], ssa);
  assert.equal(await ok(['get', 'deploy', 'ssa', '-o', 'jsonpath={.spec.replicas}']), '10');
});

test('wait, delete and auth can-i', async () => {
  await ok([
    'patch',
    'deploy',
    'web',
    '--subresource=status',
    '--type=merge',
    '-p',
    '{"status":{"conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable"}]}}',
  ]);
  assert.match(await ok(['wait', '--for=condition=Available', 'deploy/web', '--timeout=20s']), /deployment\.apps\/web condition met/);
  assert.match(await ok(['delete', 'pod', 'volpod']), /pod "volpod" deleted/);
  assert.match(await ok(['delete', '-f', `${EXAMPLES}cmvol.yaml`]), /configmap "multimap" deleted/);
  const gone = await s.kubectl(['get', 'pod', 'cmvol']);
  assert.match(gone.stderr, /Error from server \(NotFound\): pods "cmvol" not found/);
  assert.equal((await ok(['auth', 'can-i', 'create', 'deployments'])).trim(), 'yes');
  const viewer = await s.kubectl(['auth', 'can-i', 'delete', 'pods', '-n', 'team-a'], { token: 'viewer' });
  assert.equal(viewer.stdout.trim(), 'no');
  const forbidden = await s.kubectl(['get', 'pods', '-n', 'default'], { token: 'viewer' });
  assert.match(forbidden.stderr, /pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "default"/);
});

test('get -w prints rows as objects change', async () => {
  const child = spawn('kubectl', [`--kubeconfig=${s.kubeconfig()}`, `--cache-dir=${s.dir}/cache`, 'get', 'cm', '-w', '--output-watch-events'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const seen = new Promise<void>((resolve) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (/MODIFIED\s+watched/.test(out)) resolve();
    });
  });
  // Wait for the initial listing before changing anything.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  await ok(['create', 'configmap', 'watched', '--from-literal=x=1']);
  await ok(['label', 'cm', 'watched', 'seen=yes']);
  await seen;
  child.kill();
  assert.match(out, /ADDED\s+watched\s+1/);
  assert.match(out, /MODIFIED\s+watched\s+1/);
});
