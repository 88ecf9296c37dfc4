import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentController } from '../../src/controllers/deployment/controller.ts';
import { replicaSetController } from '../../src/controllers/replicaset/controller.ts';
import { schedulerController } from '../../src/controllers/scheduler.ts';
import { controllerWorld, listAll, runUntilSettled } from '../controllers/helpers/context.ts';
import { fakeKubelet } from '../controllers/helpers/fake-kubelet.ts';
import { loadExample } from '../controllers/helpers/manifests.ts';
import { node } from '../unit/scheduler/fixtures.ts';

test('hello-deploy: the scheduler places all 10 replicas, spread over the nodes by the default topology spreading', async () => {
  const w = await controllerWorld();
  for (const n of ['n1', 'n2', 'n3'])
    await w.store.create(w.clusterId, 'nodes', node(n, { labels: { 'topology.kubernetes.io/zone': n === 'n3' ? 'b' : 'a' } }));
  const [deploy] = loadExample('hello-deploy.yaml');
  await w.store.create(w.clusterId, 'deployments.apps', deploy);
  // The scheduler runs before the fake kubelet, so every binding is the scheduler's.
  await runUntilSettled(w, [deploymentController, replicaSetController, schedulerController, fakeKubelet()]);
  const pods = await listAll(w, 'pods');
  assert.equal(pods.length, 10);
  const scheduled = (await listAll(w, 'events')).filter((e) => e.reason === 'Scheduled');
  assert.equal(scheduled.length, 10);
  const perNode = new Map<string, number>();
  for (const p of pods) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  assert.deepEqual([...perNode.values()].sort(), [3, 3, 4]);
});
