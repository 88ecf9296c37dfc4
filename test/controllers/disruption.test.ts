import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disruptionController } from '../../src/controllers/disruption/controller.ts';
import { requestDeletion } from '../../src/kube/deletion.ts';
import { evictPod } from '../../src/kube/evict.ts';
import { isoTime } from '../../src/lib/clock.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { controllerWorld, eventsFor, runUntilSettled, type ControllerWorld } from './helpers/context.ts';

const PDB = 'poddisruptionbudgets.policy';

const ownerRef = (o: KubeObject) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name!, uid: o.metadata.uid!, controller: true });

function pod(name: string, owner: KubeObject | undefined, ready: boolean): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' }, ...(owner ? { ownerReferences: [ownerRef(owner)] } : {}) },
    spec: { containers: [{ name: 'c', image: 'web:1' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

const budget = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
});

/** A Deployment of 3 mid-rollout: its old ReplicaSet still has 1 pod, the new one 3 (surge). */
async function rollout(w: ControllerWorld): Promise<void> {
  const deploy = await w.store.create(w.clusterId, 'deployments.apps', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } } },
  });
  const rs = (name: string, replicas: number) =>
    w.store.create(w.clusterId, 'replicasets.apps', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: 'default', ownerReferences: [ownerRef(deploy)] },
      spec: { replicas },
    });
  const old = await rs('web-old', 1);
  const next = await rs('web-new', 3);
  await w.store.create(w.clusterId, 'pods', pod('web-old-a', old, true));
  for (const n of ['a', 'b', 'c']) await w.store.create(w.clusterId, 'pods', pod(`web-new-${n}`, next, n !== 'c'));
}

const statusOf = async (w: ControllerWorld) => (await w.store.get(w.clusterId, PDB, 'default', 'web'))!.status;

test('maxUnavailable counts the Deployment scale once across its ReplicaSets and tracks readiness', async () => {
  const w = await controllerWorld();
  await rollout(w);
  const created = await w.store.create(w.clusterId, PDB, budget({ maxUnavailable: 1 }));
  await runUntilSettled(w, [disruptionController]);
  let s = await statusOf(w);
  assert.deepEqual([s.expectedPods, s.desiredHealthy, s.currentHealthy, s.disruptionsAllowed], [3, 2, 3, 1]);
  assert.equal(s.observedGeneration, created.metadata.generation);
  assert.deepEqual(
    s.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, c.status, c.reason]),
    [['DisruptionAllowed', 'True', 'SufficientPods']],
  );

  // A pod going NotReady takes the budget's last disruption.
  const p = (await w.store.get(w.clusterId, 'pods', 'default', 'web-new-a'))!;
  await w.store.update(w.clusterId, 'pods', { ...p, status: { ...p.status, conditions: [{ type: 'Ready', status: 'False' }] } });
  await runUntilSettled(w, [disruptionController]);
  s = await statusOf(w);
  assert.deepEqual([s.currentHealthy, s.disruptionsAllowed], [2, 0]);
  assert.deepEqual([s.conditions[0].status, s.conditions[0].reason], ['False', 'InsufficientPods']);

  // A new spec is observed: a percentage of the expected 3 rounds up.
  const pdb = (await w.store.get(w.clusterId, PDB, 'default', 'web'))!;
  const changed = await w.store.update(w.clusterId, PDB, { ...pdb, spec: { selector: pdb.spec.selector, minAvailable: '50%' } });
  await runUntilSettled(w, [disruptionController]);
  s = await statusOf(w);
  assert.equal(s.observedGeneration, changed.metadata.generation);
  assert.deepEqual([s.desiredHealthy, s.disruptionsAllowed], [2, 0]);
  const commits = w.commits();
  await runUntilSettled(w, [disruptionController]);
  assert.equal(w.commits(), commits, 'an up-to-date status is not rewritten');
});

test('an integer minAvailable expects the pods it sees; a budget without pods allows nothing', async () => {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, PDB, budget({ minAvailable: 1 }));
  await runUntilSettled(w, [disruptionController]);
  let s = await statusOf(w);
  assert.deepEqual([s.expectedPods, s.desiredHealthy, s.currentHealthy, s.disruptionsAllowed], [0, 1, 0, 0]);
  assert.ok((await eventsFor(w, 'web')).some((e) => e.reason === 'NoPods' && e.message === 'No matching pods found'));
  for (const n of ['a', 'b', 'c']) await w.store.create(w.clusterId, 'pods', pod(`bare-${n}`, undefined, true));
  await runUntilSettled(w, [disruptionController]);
  s = await statusOf(w);
  assert.deepEqual([s.expectedPods, s.desiredHealthy, s.currentHealthy, s.disruptionsAllowed], [3, 1, 3, 2]);
  // Deleting a pod (grace period) stops it counting as healthy at once.
  await requestDeletion(w.store, w.clusterId, 'pods', 'default', 'bare-a', { gracePeriodSeconds: 30 });
  await runUntilSettled(w, [disruptionController]);
  s = await statusOf(w);
  assert.deepEqual([s.currentHealthy, s.disruptionsAllowed], [2, 1]);
});

test('an eviction in flight is not counted healthy for 2 minutes; a pod that never went is then reported', async () => {
  const w = await controllerWorld();
  for (const n of ['a', 'b', 'c']) await w.store.create(w.clusterId, 'pods', pod(`bare-${n}`, undefined, true));
  await w.store.create(w.clusterId, PDB, budget({ minAvailable: 1 }));
  await runUntilSettled(w, [disruptionController]);
  // What the eviction API records when it lets a pod go.
  const pdb = (await w.store.get(w.clusterId, PDB, 'default', 'web'))!;
  await w.store.update(w.clusterId, PDB, { ...pdb, status: { ...pdb.status, disruptedPods: { 'bare-a': isoTime(w.clock.now()) } } });
  await runUntilSettled(w, [disruptionController]);
  let s = await statusOf(w);
  assert.deepEqual([s.currentHealthy, s.disruptionsAllowed, Object.keys(s.disruptedPods)], [2, 1, ['bare-a']]);
  const wake = w.lastResults.get('disruption')?.requeueAfterMs;
  assert.ok(wake !== undefined && wake > 119_000 && wake <= 120_001, `wakes when the entry runs out (${wake})`);

  w.clock.advance(121_000);
  await runUntilSettled(w, [disruptionController]);
  s = await statusOf(w);
  assert.deepEqual([s.currentHealthy, s.disruptionsAllowed, s.disruptedPods], [3, 2, undefined]);
  assert.ok((await eventsFor(w, 'bare-a')).some((e) => e.type === 'Warning' && e.reason === 'NotDeleted'));
});

test('a controller eviction (autoscaler drain, VPA) charges the budget exactly as the Eviction API does', async () => {
  const w = await controllerWorld();
  await rollout(w);
  await w.store.create(w.clusterId, PDB, budget({ maxUnavailable: 1 }));
  const now = await w.store.clusterNow(w.clusterId);
  const podNamed = async (name: string) => (await w.store.get(w.clusterId, 'pods', 'default', name))!;
  // The Deployment's 3 replicas count once across both ReplicaSets: one disruption is allowed.
  assert.deepEqual(await evictPod(w.store, w.clusterId, await podNamed('web-new-a'), now), { evicted: true });
  const s = await statusOf(w);
  assert.deepEqual([s.expectedPods, s.desiredHealthy, s.disruptionsAllowed, Object.keys(s.disruptedPods)], [3, 2, 0, ['web-new-a']]);
  const refused = await evictPod(w.store, w.clusterId, await podNamed('web-new-b'), now);
  assert.equal(refused.evicted, false);
  assert.match(
    (refused as { reason: string }).reason,
    /^Cannot evict pod as it would violate the pod's disruption budget\. The disruption budget web needs 2 healthy pods and has 2 currently$/,
  );
});

test('a budget without a selector covers no pod (policy/v1), for controller evictions too', async () => {
  const w = await controllerWorld();
  await rollout(w);
  await w.store.create(w.clusterId, PDB, { ...budget({ minAvailable: 4 }), spec: { minAvailable: 4 } });
  const p = (await w.store.get(w.clusterId, 'pods', 'default', 'web-old-a'))!;
  assert.deepEqual(await evictPod(w.store, w.clusterId, p, await w.store.clusterNow(w.clusterId)), { evicted: true });
});
