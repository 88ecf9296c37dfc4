import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
let kc: string;
before(async () => {
  h = await startHarness();
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token);
  kc = await h.kubeconfig(owner.token, cluster.id);
});
after(() => h.stop());

const run = (args: string[], input?: string) => h.kubectl(kc, args, input);
async function ok(args: string[], input?: string): Promise<string> {
  const r = await run(args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const RC = `apiVersion: v1
kind: ReplicationController
metadata: { name: legacy }
spec:
  replicas: 3
  template:
    metadata: { labels: { app: legacy } }
    spec:
      containers: [{ name: web, image: nginx:1.27 }]
`;

test('a ReplicationController keeps its replicas, scales, and its pods go with it', async () => {
  assert.match(await ok(['apply', '-f', '-'], RC), /replicationcontroller\/legacy created/);
  const rc = JSON.parse(await ok(['get', 'rc', 'legacy', '-o', 'json']));
  assert.deepEqual(rc.spec.selector, { app: 'legacy' }, 'the selector defaults to the template labels');
  assert.deepEqual(rc.metadata.labels, { app: 'legacy' });
  await h.waitFor(async () => /^legacy\s+3\s+3\s+3\s/m.test(await ok(['get', 'rc', 'legacy'])), 'three ready replicas');
  const pods = JSON.parse(await ok(['get', 'pods', '-l', 'app=legacy', '-o', 'json'])).items;
  assert.equal(pods.length, 3);
  assert.ok(pods.every((p: any) => p.metadata.ownerReferences?.[0]?.kind === 'ReplicationController' && p.metadata.ownerReferences[0].controller));
  assert.match(await ok(['describe', 'pod', pods[0].metadata.name]), /Controlled By:\s+ReplicationController\/legacy/);
  assert.match(await ok(['describe', 'rc', 'legacy']), /SuccessfulCreate\s+.*Created pod: legacy-/);

  await ok(['scale', 'rc', 'legacy', '--replicas=1']);
  await h.waitFor(
    async () => JSON.parse(await ok(['get', 'pods', '-l', 'app=legacy', '-o', 'json'])).items.filter((p: any) => !p.metadata.deletionTimestamp).length === 1,
    'scaled to one',
  );
  assert.match(await ok(['get', 'rc', 'legacy', '-o', 'jsonpath={.status.observedGeneration}']), /^\d+$/);
  assert.match(await ok(['get', 'all']), /replicationcontroller\/legacy/);

  await ok(['delete', 'rc', 'legacy', '--wait=true', '--timeout=60s']);
  await h.waitFor(async () => JSON.parse(await ok(['get', 'pods', '-l', 'app=legacy', '-o', 'json'])).items.length === 0, 'pods collected');
});

test('bad ReplicationControllers and PodTemplates answer 422 with the field', async () => {
  const mismatch = RC.replace('name: legacy }', 'name: bad }').replace('replicas: 3', 'replicas: 1\n  selector: { app: other }');
  const r = await run(['apply', '-f', '-'], mismatch);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /ReplicationController "bad" is invalid: spec.template.metadata.labels: Invalid value: .*`selector` does not match template `labels`/);
  const noTemplate = await run(['apply', '-f', '-'], 'apiVersion: v1\nkind: ReplicationController\nmetadata: { name: empty }\nspec: { replicas: 1 }\n');
  assert.match(noTemplate.stderr, /spec.selector: Required value/);
  const badPt = await run(['apply', '-f', '-'], 'apiVersion: v1\nkind: PodTemplate\nmetadata: { name: pt }\ntemplate: { spec: { containers: [] } }\n');
  assert.match(badPt.stderr, /PodTemplate "pt" is invalid: template.spec.containers: Required value/);
});

test('PodTemplates are stored and printed; kubectl get cs lists the control plane as healthy', async () => {
  await ok(
    ['apply', '-f', '-'],
    'apiVersion: v1\nkind: PodTemplate\nmetadata: { name: tmpl }\ntemplate:\n  metadata: { labels: { app: t } }\n  spec:\n    containers: [{ name: c, image: busybox }]\n',
  );
  assert.match(await ok(['get', 'podtemplates']), /^TEMPLATE\s+CONTAINERS\s+IMAGES\s+POD LABELS\ntmpl\s+c\s+busybox\s+app=t$/m);
  assert.equal(await ok(['get', 'podtemplate', 'tmpl', '-o', 'jsonpath={.metadata.generation}']), '1', 'PodTemplates count template changes');

  const cs = await run(['get', 'cs']);
  assert.equal(cs.code, 0, cs.stderr);
  assert.match(cs.stderr, /Warning: v1 ComponentStatus is deprecated in v1.19\+/);
  assert.match(cs.stdout, /^NAME\s+STATUS\s+MESSAGE\s+ERROR\n/);
  for (const c of ['controller-manager', 'scheduler', 'etcd-0']) assert.match(cs.stdout, new RegExp(`^${c}\\s+Healthy\\s+ok`, 'm'));
  assert.equal(JSON.parse(await ok(['get', 'componentstatus', 'scheduler', '-o', 'json'])).conditions[0].type, 'Healthy');
  assert.match((await run(['get', 'cs', 'nope'])).stderr, /componentstatuses "nope" not found/);
  assert.notEqual((await run(['delete', 'cs', 'scheduler'])).code, 0);
});
