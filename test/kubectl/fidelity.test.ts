import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';

let h: Harness;
let kc: string;
before(async () => {
  h = await startHarness();
  const owner = await h.tenant();
  // 60× clock: a minute of cluster time per second, so "keeps running" is checked well past a Job's 5 s.
  const cluster = await h.runningCluster(owner.token, { ...defaultClusterBody(), timeScale: 60 });
  kc = await h.kubeconfig(owner.token, cluster.id);
});
after(() => h.stop());

const run = (args: string[], input?: string) => h.kubectl(kc, args, input);
async function ok(args: string[], input?: string): Promise<string> {
  const r = await run(args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('a bare pod with --restart=Never keeps running, as nginx would; its logs carry no timestamps unless asked', async () => {
  await ok(['run', 'web', '--image=nginx', '--restart=Never']);
  await ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
  // Two seconds of real time are two minutes on this cluster's clock.
  await new Promise((r) => setTimeout(r, 2000));
  assert.match(await ok(['get', 'pod', 'web']), /^web\s+1\/1\s+Running\s+0\s/m);
  const logs = await ok(['logs', 'web']);
  assert.match(logs, /^starting web \(docker\.io\/library\/nginx:latest\)/);
  assert.doesNotMatch(logs, /^\d{4}-\d\d-\d\dT/m);
  const stamped = await ok(['logs', 'web', '--timestamps']);
  assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z starting web /);
  const describe = await ok(['describe', 'pod', 'web']);
  assert.match(describe, /Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned default\/web to \S+\n/);
});

test('ConfigMaps, Secrets, Services and Pods have no metadata.generation; Deployments do', async () => {
  await ok(['create', 'configmap', 'cfg', '--from-literal=a=1']);
  await ok(['create', 'secret', 'generic', 'sec', '--from-literal=a=1']);
  await ok(['create', 'service', 'clusterip', 'svc', '--tcp=80:80']);
  await ok(['create', 'deployment', 'dep', '--image=nginx']);
  for (const kind of ['configmap/cfg', 'secret/sec', 'service/svc', 'pod/web']) {
    assert.equal(await ok(['get', kind, '-o', 'jsonpath={.metadata.generation}']), '', kind);
  }
  assert.equal(await ok(['get', 'deploy/dep', '-o', 'jsonpath={.metadata.generation}']), '1');
});

test('--dry-run=server answers the object with uid and creationTimestamp and stores nothing', async () => {
  const out = JSON.parse(await ok(['create', 'configmap', 'dry', '--from-literal=a=1', '--dry-run=server', '-o', 'json']));
  assert.match(out.metadata.uid, /^[0-9a-f-]{36}$/);
  assert.match(out.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(out.metadata.resourceVersion, undefined);
  assert.match((await run(['get', 'configmap', 'dry'])).stderr, /NotFound/);
  const dep = JSON.parse(await ok(['create', 'deployment', 'dry', '--image=nginx', '--dry-run=server', '-o', 'json']));
  assert.equal(dep.metadata.generation, 1);
  // A dry run of something that exists fails as the real create would.
  assert.match((await run(['create', 'configmap', 'cfg', '--dry-run=server'])).stderr, /configmaps "cfg" already exists/);
});

test("a create in a terminating namespace is refused with upstream's forbidden message", async () => {
  await ok(['create', 'namespace', 'doomed']);
  // A finalizer of our own keeps the namespace in Terminating while we try to create in it.
  await ok(['create', 'configmap', 'held', '-n', 'doomed']);
  await ok(['patch', 'configmap', 'held', '-n', 'doomed', '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']);
  await ok(['delete', 'namespace', 'doomed', '--wait=false']);
  const refused = await run(['create', 'configmap', 'late', '-n', 'doomed']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated/);
  const applied = await run(['apply', '-n', 'doomed', '-f', '-'], 'apiVersion: v1\nkind: Secret\nmetadata: { name: late }\n');
  assert.match(
    applied.stderr,
    /Error from server \(Forbidden\): error when creating "STDIN": secrets "late" is forbidden: unable to create new content in namespace doomed because it is being terminated/,
  );
  await ok(['patch', 'configmap', 'held', '-n', 'doomed', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
});
