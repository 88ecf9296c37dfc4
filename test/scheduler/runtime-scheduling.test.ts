import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/kube/types.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';

/**
 * The scheduler inside the running service: pods written to a cluster wake its scheduler through
 * the queue runtime, on real Redis and SQLite, with the nodes the cluster was provisioned with.
 */
let h: Harness;
let clusterId: string;

before(async () => {
  h = await startHarness();
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token, {
    name: 'sched',
    provider: 'eks',
    region: 'us-east-1',
    nodePools: [
      { name: 'general', instanceType: 'm5.large', count: 2, labels: { tier: 'general' } },
      { name: 'gpu', instanceType: 'm5.large', count: 1, labels: { tier: 'gpu' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
    ],
  });
  clusterId = cluster.id;
});
after(() => h.stop());

const store = () => h.runtime.deps.store;

function pod(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { schedulerName: 'default-scheduler', ...spec },
    status: { phase: 'Pending' },
  };
}

const getPod = (name: string) => store().get(clusterId, 'pods', 'default', name);
const nodeOf = async (name: string) => store().get(clusterId, 'nodes', '', name);
const eventsOf = async (name: string) =>
  (await store().list(clusterId, 'events', { namespace: 'default' })).items.filter((e) => (e.involvedObject as { name: string }).name === name);

test('a pod that fits is bound by the scheduler job, with a Scheduled event', async () => {
  await store().create(
    clusterId,
    'pods',
    pod('web', { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '250m', memory: '128Mi' } } }] }),
  );
  const bound = await h.waitFor(async () => (await getPod('web'))?.spec?.nodeName && getPod('web'), 'web bound');
  assert.equal((await nodeOf(bound!.spec.nodeName))?.metadata.labels?.tier, 'general', 'the tainted pool is avoided');
  const scheduled = await h.waitFor(async () => (await eventsOf('web')).find((e) => e.reason === 'Scheduled'), 'Scheduled event');
  assert.equal(scheduled.message, `Successfully assigned default/web to ${bound!.spec.nodeName}`);
});

test('a pod too large for every node stays Pending with the FitError text', async () => {
  await store().create(clusterId, 'pods', pod('huge', { containers: [{ name: 'huge', image: 'nginx:1.27', resources: { requests: { cpu: '64' } } }] }));
  const msg =
    '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. ' +
    'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
  const cond = await h.waitFor(async () => {
    const c = (await getPod('huge'))?.status?.conditions?.find((x: { type: string }) => x.type === 'PodScheduled');
    return c?.reason === 'Unschedulable' && c;
  }, 'huge unschedulable');
  assert.equal(cond.message, msg);
  const failed = await h.waitFor(async () => (await eventsOf('huge')).find((e) => e.reason === 'FailedScheduling'), 'FailedScheduling event');
  assert.equal(failed.message, msg);
  assert.equal(failed.type, 'Warning');
});

test('a toleration plus nodeSelector lands the pod on the tainted pool', async () => {
  await store().create(
    clusterId,
    'pods',
    pod('trainer', {
      nodeSelector: { tier: 'gpu' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      containers: [{ name: 't', image: 'busybox:1.36' }],
    }),
  );
  const bound = await h.waitFor(async () => (await getPod('trainer'))?.spec?.nodeName && getPod('trainer'), 'trainer bound');
  assert.equal((await nodeOf(bound!.spec.nodeName))?.metadata.labels?.tier, 'gpu');
});
