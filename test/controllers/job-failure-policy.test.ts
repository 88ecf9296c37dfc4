import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobController } from '../../src/controllers/job/controller.ts';
import { requestDeletion } from '../../src/kube/deletion.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { isoTime } from '../../src/lib/clock.ts';
import { controllerWorld, eventsFor, listAll, runUntilSettled, type ControllerWorld } from './helpers/context.ts';
import { fakeKubelet, finishPods, node, terminated } from './helpers/fake-kubelet.ts';

const controllers = [jobController, fakeKubelet()];
const INDEX = 'batch.kubernetes.io/job-completion-index';

function job(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox' }] } }, ...spec },
  };
}

async function setup(j: KubeObject): Promise<ControllerWorld> {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, 'nodes', node('n1'));
  await w.store.create(w.clusterId, 'jobs.batch', j);
  await runUntilSettled(w, controllers);
  return w;
}

const getJob = (w: ControllerWorld, name: string) => w.store.mustGet(w.clusterId, 'jobs.batch', 'default', name);
const cond = (j: KubeObject, type: string) => j.status?.conditions?.find((c: { type: string }) => c.type === type);
const running = async (w: ControllerWorld) => (await listAll(w, 'pods')).filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
const ofIndex = async (w: ControllerWorld, idx: number) => (await running(w)).find((p) => p.metadata.annotations?.[INDEX] === String(idx));

/** A running pod ends Failed with this exit code, optionally marked DisruptionTarget first. */
async function failPod(w: ControllerWorld, pod: KubeObject, exitCode: number, disruption?: string): Promise<void> {
  const now = isoTime(w.ctx.now());
  const next = terminated(pod, 'Failed', exitCode, now);
  if (disruption)
    next.status.conditions = [...next.status.conditions, { type: 'DisruptionTarget', status: 'True', reason: disruption, lastTransitionTime: now }];
  await w.store.update(w.clusterId, 'pods', next);
}

test('a FailJob rule on an exit code fails the Job at once: FailureTarget, the other pods killed, then Failed with the rule in the message', async () => {
  const w = await setup(
    job('pfp', {
      parallelism: 2,
      completions: 2,
      backoffLimit: 6,
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'work', operator: 'In', values: [42] } }] },
    }),
  );
  const [first, second] = await running(w);
  await failPod(w, first, 42);
  await runUntilSettled(w, [jobController]);
  const target = await getJob(w, 'pfp');
  const message = `Container work for pod default/${first.metadata.name} failed with exit code 42 matching FailJob rule at index 0`;
  assert.deepEqual([cond(target, 'FailureTarget')?.reason, cond(target, 'FailureTarget')?.message], ['PodFailurePolicy', message]);
  assert.equal(cond(target, 'Failed'), undefined, 'Failed waits for the other pod to terminate');
  assert.ok((await w.store.get(w.clusterId, 'pods', 'default', second.metadata.name!))?.metadata.deletionTimestamp, 'the other pod is being deleted');
  await runUntilSettled(w, controllers);
  const j = await getJob(w, 'pfp');
  assert.deepEqual([cond(j, 'Failed')?.reason, cond(j, 'Failed')?.message], ['PodFailurePolicy', message]);
  assert.equal(j.status.failed, 2);
  assert.ok((await eventsFor(w, 'pfp')).some((e) => e.type === 'Warning' && e.reason === 'PodFailurePolicy' && e.message === message));
});

test('an Ignore rule on DisruptionTarget does not count the failure: the pod is replaced even with backoffLimit 0', async () => {
  const w = await setup(
    job('tolerant', {
      backoffLimit: 0,
      podFailurePolicy: {
        rules: [
          { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
        ],
      },
    }),
  );
  const [pod] = await running(w);
  await failPod(w, pod, 143, 'EvictionByEvictionAPI');
  await runUntilSettled(w, controllers);
  let j = await getJob(w, 'tolerant');
  assert.equal(j.status.failed, 0);
  assert.equal(cond(j, 'FailureTarget'), undefined);
  w.clock.advance(10_000);
  await runUntilSettled(w, controllers);
  const [replacement] = await running(w);
  assert.ok(replacement && replacement.metadata.name !== pod.metadata.name, 'replaced after the 10 s back-off');
  // An exit code no rule names is counted (the default), and backoffLimit 0 allows none.
  await failPod(w, replacement, 1);
  await runUntilSettled(w, controllers);
  j = await getJob(w, 'tolerant');
  assert.equal(j.status.failed, 1);
  assert.equal(cond(j, 'Failed')?.reason, 'BackoffLimitExceeded');
});

test('with a failure policy a pod being deleted is replaced only once it has failed (podReplacementPolicy Failed)', async () => {
  const w = await setup(job('patient', { podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [143] } }] } }));
  assert.equal((await getJob(w, 'patient')).spec.podReplacementPolicy, undefined, 'the store holds the Job as sent');
  const [pod] = await running(w);
  await requestDeletion(w.store, w.clusterId, 'pods', 'default', pod.metadata.name!, {});
  await runUntilSettled(w, [jobController]);
  let j = await getJob(w, 'patient');
  assert.deepEqual([j.status.active, j.status.terminating, j.status.failed], [0, 1, 0]);
  assert.equal((await listAll(w, 'pods')).length, 1, 'no replacement while the pod terminates');
  // The kubelet stops it: Failed with exit 137 (no rule matches: counted), then it is replaced.
  await runUntilSettled(w, controllers);
  w.clock.advance(10_000);
  await runUntilSettled(w, controllers);
  j = await getJob(w, 'patient');
  assert.deepEqual([j.status.active, j.status.terminating, j.status.failed], [1, 0, 1]);
});

test('backoffLimitPerIndex: an index retries with its own count, fails alone, and the Job ends with FailedIndexes', async () => {
  const w = await setup(job('per', { completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 1 }));
  const first = (await ofIndex(w, 1))!;
  assert.equal(first.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count'], '0');
  await failPod(w, first, 1);
  await runUntilSettled(w, controllers);
  assert.equal(await ofIndex(w, 1), undefined, 'the index waits out its 10 s back-off');
  assert.ok(await w.store.get(w.clusterId, 'pods', 'default', first.metadata.name!), 'the failed pod is held until its replacement exists');
  w.clock.advance(10_000);
  await runUntilSettled(w, controllers);
  const second = (await ofIndex(w, 1))!;
  assert.equal(second.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count'], '1');
  let j = await getJob(w, 'per');
  assert.deepEqual([j.status.failed, j.status.failedIndexes], [1, '']);
  await failPod(w, second, 1);
  await runUntilSettled(w, controllers);
  j = await getJob(w, 'per');
  assert.deepEqual([j.status.failed, j.status.failedIndexes, cond(j, 'FailureTarget')], [2, '1', undefined], 'other indexes keep running');
  await finishPods(w.ctx, () => true, 'Succeeded');
  await runUntilSettled(w, controllers);
  j = await getJob(w, 'per');
  assert.deepEqual([j.status.completedIndexes, j.status.failedIndexes, j.status.succeeded], ['0,2', '1', 2]);
  assert.deepEqual([cond(j, 'Failed')?.reason, cond(j, 'Failed')?.message], ['FailedIndexes', 'Job has failed indexes']);
});

test('maxFailedIndexes ends the Job as soon as more indexes failed; a FailIndex rule fails an index at once', async () => {
  const w = await setup(
    job('few', {
      completionMode: 'Indexed',
      completions: 4,
      parallelism: 4,
      backoffLimitPerIndex: 3,
      maxFailedIndexes: 1,
      podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [42] } }] },
    }),
  );
  await failPod(w, (await ofIndex(w, 0))!, 42);
  await runUntilSettled(w, [jobController]);
  let j = await getJob(w, 'few');
  assert.deepEqual([j.status.failedIndexes, cond(j, 'FailureTarget')], ['0', undefined], 'one failed index is tolerated');
  await failPod(w, (await ofIndex(w, 3))!, 42);
  await runUntilSettled(w, controllers);
  j = await getJob(w, 'few');
  assert.equal(j.status.failedIndexes, '0,3');
  assert.deepEqual(
    [cond(j, 'Failed')?.reason, cond(j, 'Failed')?.message],
    ['MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes'],
  );
  assert.equal((await running(w)).length, 0, 'the remaining indexes were stopped');
});
