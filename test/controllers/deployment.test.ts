import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentController } from '../../src/controllers/deployment/controller.ts';
import { replicaSetController } from '../../src/controllers/replicaset/controller.ts';
import { requestDeletion } from '../../src/kube/deletion.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { controllerWorld, eventsFor, listAll, runUntilSettled, type ControllerWorld } from './helpers/context.ts';
import { fakeKubelet, node } from './helpers/fake-kubelet.ts';
import { loadExample } from './helpers/manifests.ts';
import { PodWatch } from './helpers/pod-watch.ts';

const controllers = [deploymentController, replicaSetController, fakeKubelet()];

async function helloWorld(): Promise<ControllerWorld> {
  const w = await controllerWorld();
  for (const n of ['n1', 'n2', 'n3']) await w.store.create(w.clusterId, 'nodes', node(n));
  const [deploy] = loadExample('hello-deploy.yaml');
  await w.store.create(w.clusterId, 'deployments.apps', deploy);
  return w;
}

const getDeploy = (w: ControllerWorld) => w.store.mustGet(w.clusterId, 'deployments.apps', 'default', 'hello-deploy');

/** Settles, then lets cluster time pass (minReadySeconds) until the rollout is done. */
async function rollOut(w: ControllerWorld, done: (d: KubeObject) => boolean, stepMs = 5_000, maxSteps = 200): Promise<KubeObject> {
  for (let i = 0; i < maxSteps; i++) {
    await runUntilSettled(w, controllers);
    const d = await getDeploy(w);
    if (done(d)) return d;
    w.clock.advance(stepMs);
  }
  throw new Error('rollout did not finish');
}

/** What `kubectl rollout status` checks (kubectl-protocol.md §7.1). */
function rolledOut(d: KubeObject): boolean {
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) &&
    (s.updatedReplicas ?? 0) === d.spec.replicas &&
    (s.replicas ?? 0) === (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) === (s.updatedReplicas ?? 0)
  );
}

async function setImage(w: ControllerWorld, image: string): Promise<void> {
  const d = await getDeploy(w);
  d.spec.template.spec.containers[0].image = image;
  await w.store.update(w.clusterId, 'deployments.apps', d);
}

test('hello-deploy reaches 10/10 available with Kubernetes names, annotations, conditions and events', async () => {
  const w = await helloWorld();
  const d = await rollOut(w, (x) => x.status?.availableReplicas === 10 && rolledOut(x));
  assert.equal(d.status.readyReplicas, 10);
  assert.equal(d.status.unavailableReplicas, 0);
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
  const conds = Object.fromEntries(d.status.conditions.map((c: { type: string; reason: string }) => [c.type, c.reason]));
  assert.deepEqual(conds, { Available: 'MinimumReplicasAvailable', Progressing: 'NewReplicaSetAvailable' });
  const [rs] = await listAll(w, 'replicasets.apps');
  const hash = rs.metadata.labels!['pod-template-hash'];
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  assert.equal(rs.metadata.name, `hello-deploy-${hash}`);
  assert.deepEqual(rs.spec.selector.matchLabels, { app: 'hello-world', 'pod-template-hash': hash });
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '10');
  assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '11');
  const pods = await listAll(w, 'pods');
  assert.equal(pods.length, 10);
  assert.ok(pods.every((p) => p.metadata.name!.startsWith(`hello-deploy-${hash}-`) && p.metadata.labels?.['pod-template-hash'] === hash));
  const scaling = (await eventsFor(w, 'hello-deploy')).filter((e) => e.reason === 'ScalingReplicaSet');
  assert.deepEqual(
    scaling.map((e) => e.message),
    [`Scaled up replica set hello-deploy-${hash} from 0 to 10`],
  );
  const progressing = d.status.conditions.find((c: { type: string }) => c.type === 'Progressing');
  assert.equal(progressing.message, `ReplicaSet "hello-deploy-${hash}" has successfully progressed.`);
});

test('a rolling update never exceeds replicas+maxSurge pods nor drops below replicas-maxUnavailable available', async () => {
  const w = await helloWorld();
  await rollOut(w, rolledOut);
  const watch = new PodWatch(w);
  // hello-deploy: replicas 10, maxSurge 1, maxUnavailable 1, minReadySeconds 10.
  watch.invariant((pods, now) => {
    const { active, available } = PodWatch.counts(pods, now, 10);
    if (active > 11) return `${active} pods > 11`;
    if (available < 9) return `${available} available < 9`;
    return undefined;
  });
  for (const p of await listAll(w, 'pods')) watch.pods.set(p.metadata.uid!, p);
  await setImage(w, 'k8sbook:2.0');
  const d = await rollOut(w, rolledOut);
  assert.deepEqual(watch.violations, []);
  const pods = await listAll(w, 'pods');
  assert.equal(pods.length, 10);
  assert.ok(pods.every((p) => p.spec.containers[0].image === 'k8sbook:2.0'));
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  const rss = await listAll(w, 'replicasets.apps');
  assert.equal(rss.length, 2);
  assert.deepEqual(rss.map((r) => r.spec.replicas).sort(), [0, 10]);
});

test('rollout undo reuses the previous ReplicaSet and gives it the next revision', async () => {
  const w = await helloWorld();
  await rollOut(w, rolledOut);
  const first = (await listAll(w, 'replicasets.apps'))[0];
  await setImage(w, 'k8sbook:2.0');
  await rollOut(w, rolledOut);
  // What kubectl rollout undo sends: the old template without its hash, with the quirks of its JSON.
  const d = await getDeploy(w);
  const template = structuredClone(first.spec.template);
  delete template.metadata.labels['pod-template-hash'];
  template.metadata.creationTimestamp = null;
  template.spec.containers[0].resources = {};
  await w.store.update(w.clusterId, 'deployments.apps', { ...d, spec: { ...d.spec, template } });
  await rollOut(w, rolledOut);
  const rss = await listAll(w, 'replicasets.apps');
  assert.equal(rss.length, 2, 'no third ReplicaSet');
  const back = rss.find((r) => r.metadata.uid === first.metadata.uid)!;
  assert.equal(back.spec.replicas, 10);
  assert.equal(back.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  assert.equal(back.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
  assert.equal((await getDeploy(w)).metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  assert.ok((await listAll(w, 'pods')).every((p) => p.spec.containers[0].image === 'k8sbook:latest'));
});

test('a deleted pod of a Deployment is replaced', async () => {
  const w = await helloWorld();
  await rollOut(w, rolledOut);
  const [victim] = await listAll(w, 'pods');
  await requestDeletion(w.store, w.clusterId, 'pods', 'default', victim.metadata.name!);
  await runUntilSettled(w, controllers);
  const pods = await listAll(w, 'pods');
  assert.equal(pods.length, 10);
  assert.ok(!pods.some((p) => p.metadata.uid === victim.metadata.uid));
});
