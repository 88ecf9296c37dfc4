import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobController } from '../../src/controllers/job/controller.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { controllerWorld, eventsFor, listAll, runUntilSettled, type ControllerWorld } from './helpers/context.ts';
import { fakeKubelet, finishPods, node } from './helpers/fake-kubelet.ts';

const controllers = [jobController, fakeKubelet()];

function job(name: string, spec: Record<string, unknown> = {}, restartPolicy = 'Never'): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { restartPolicy, containers: [{ name: 'work', image: 'busybox' }] } }, ...spec },
  };
}

async function setup(j: KubeObject): Promise<ControllerWorld> {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, 'nodes', node('n1'));
  await w.store.create(w.clusterId, 'jobs.batch', j);
  return w;
}

const getJob = (w: ControllerWorld, name: string) => w.store.mustGet(w.clusterId, 'jobs.batch', 'default', name);
const cond = (j: KubeObject, type: string) => j.status?.conditions?.find((c: { type: string }) => c.type === type);
const running = async (w: ControllerWorld) => (await listAll(w, 'pods')).filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);

test('completions 3 with parallelism 2: two pods at a time, Complete once 3 have succeeded', async () => {
  const w = await setup(job('pi', { completions: 3, parallelism: 2 }));
  await runUntilSettled(w, controllers);
  const first = await running(w);
  assert.equal(first.length, 2);
  const j0 = await getJob(w, 'pi');
  for (const p of first) {
    assert.equal(p.metadata.labels?.['batch.kubernetes.io/job-name'], 'pi');
    assert.equal(p.metadata.labels?.['controller-uid'], j0.metadata.uid);
    assert.deepEqual(p.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
    assert.match(p.metadata.name!, /^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  }
  assert.equal(j0.status.active, 2);
  assert.ok(j0.status.startTime);
  for (let round = 0; round < 5 && !cond(await getJob(w, 'pi'), 'Complete'); round++) {
    w.clock.advance(5_000);
    await finishPods(w.ctx, () => true, 'Succeeded');
    await runUntilSettled(w, controllers);
  }
  const j = await getJob(w, 'pi');
  assert.deepEqual([j.status.succeeded, j.status.failed, j.status.active], [3, 0, 0]);
  assert.deepEqual(
    j.status.conditions.map((c: { type: string; status: string; reason: string }) => [c.type, c.status, c.reason]),
    [
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ],
  );
  assert.ok(j.status.completionTime);
  const pods = await listAll(w, 'pods');
  assert.ok(pods.length >= 3 && pods.every((p) => !p.metadata.finalizers), 'counted pods are released and kept');
  assert.ok((await eventsFor(w, 'pi')).some((e) => e.reason === 'Completed' && e.message === 'Job completed'));
});

test('failed pods are retried after 10 s, 20 s...; the failure after backoffLimit fails the Job', async () => {
  const w = await setup(job('flaky', { backoffLimit: 2 }));
  await runUntilSettled(w, controllers);
  await finishPods(w.ctx, () => true, 'Failed');
  await runUntilSettled(w, controllers);
  assert.equal((await running(w)).length, 0, 'no retry inside the 10 s back-off');
  assert.equal((await getJob(w, 'flaky')).status.failed, 1);
  const wake = w.lastResults.get('job')?.requeueAfterMs;
  assert.ok(wake && wake > 9_000 && wake <= 10_000, `requeueAfterMs ${wake}`);
  w.clock.advance(10_000);
  await runUntilSettled(w, controllers);
  assert.equal((await running(w)).length, 1);
  await finishPods(w.ctx, () => true, 'Failed');
  w.clock.advance(10_000);
  await runUntilSettled(w, controllers);
  assert.equal((await running(w)).length, 0, 'the second back-off is 20 s');
  w.clock.advance(10_000);
  await runUntilSettled(w, controllers);
  assert.equal((await running(w)).length, 1);
  await finishPods(w.ctx, () => true, 'Failed');
  await runUntilSettled(w, controllers);
  const j = await getJob(w, 'flaky');
  assert.equal(j.status.failed, 3);
  assert.deepEqual([cond(j, 'Failed')?.reason, cond(j, 'Failed')?.message], ['BackoffLimitExceeded', 'Job has reached the specified backoff limit']);
  assert.ok(cond(j, 'FailureTarget'));
  assert.ok((await eventsFor(w, 'flaky')).some((e) => e.type === 'Warning' && e.reason === 'BackoffLimitExceeded'));
});

test('activeDeadlineSeconds kills running pods and fails the Job with DeadlineExceeded', async () => {
  const w = await setup(job('slow', { activeDeadlineSeconds: 30, parallelism: 2, completions: 2 }));
  await runUntilSettled(w, controllers);
  assert.equal(w.lastResults.get('job')?.requeueAfterMs, 30_000);
  w.clock.advance(30_000);
  await runUntilSettled(w, controllers);
  const j = await getJob(w, 'slow');
  assert.deepEqual([cond(j, 'Failed')?.reason, cond(j, 'Failed')?.message], ['DeadlineExceeded', 'Job was active longer than specified deadline']);
  assert.equal(j.status.active, 0);
  assert.equal(j.status.failed, 2, 'killed pods count as failed');
  assert.equal((await listAll(w, 'pods')).length, 0);
});

test('an Indexed Job runs one pod per index with its index in name, annotation, env and hostname', async () => {
  const w = await setup(job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
  await runUntilSettled(w, controllers);
  const pods = await running(w);
  const byIndex = Object.fromEntries(pods.map((p) => [p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
  assert.deepEqual(Object.keys(byIndex).sort(), ['0', '1', '2']);
  const p1 = byIndex['1'];
  assert.match(p1.metadata.name!, /^idx-1-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(p1.spec.hostname, 'idx-1');
  assert.equal(p1.metadata.labels?.['batch.kubernetes.io/job-completion-index'], '1');
  assert.equal(p1.spec.containers[0].env[0].name, 'JOB_COMPLETION_INDEX');
  await finishPods(w.ctx, (p) => p.metadata.name === p1.metadata.name, 'Succeeded');
  await finishPods(w.ctx, (p) => p.metadata.name === byIndex['2'].metadata.name, 'Failed');
  await runUntilSettled(w, controllers);
  assert.equal((await getJob(w, 'idx')).status.completedIndexes, '1');
  w.clock.advance(10_000);
  await runUntilSettled(w, controllers);
  await finishPods(w.ctx, () => true, 'Succeeded');
  await runUntilSettled(w, controllers);
  const j = await getJob(w, 'idx');
  assert.equal(j.status.completedIndexes, '0-2');
  assert.equal(j.status.succeeded, 3);
  assert.ok(cond(j, 'Complete'));
});

test('a suspended Job deletes its pods and shows Suspended; resuming starts them again', async () => {
  const w = await setup(job('s', { parallelism: 2, completions: 4 }));
  await runUntilSettled(w, controllers);
  const j = await getJob(w, 's');
  await w.store.update(w.clusterId, 'jobs.batch', { ...j, spec: { ...j.spec, suspend: true } });
  await runUntilSettled(w, controllers);
  const suspended = await getJob(w, 's');
  assert.equal((await listAll(w, 'pods')).length, 0);
  assert.deepEqual([cond(suspended, 'Suspended')?.status, cond(suspended, 'Suspended')?.reason], ['True', 'JobSuspended']);
  assert.equal(suspended.status.failed, 0, 'pods removed for suspension are not failures');
  assert.equal(suspended.status.startTime, undefined);
  await w.store.update(w.clusterId, 'jobs.batch', { ...suspended, spec: { ...suspended.spec, suspend: false } });
  await runUntilSettled(w, controllers);
  const resumed = await getJob(w, 's');
  assert.equal((await running(w)).length, 2);
  assert.deepEqual([cond(resumed, 'Suspended')?.status, cond(resumed, 'Suspended')?.reason], ['False', 'JobResumed']);
});

test('a work queue Job (parallelism only) stops starting pods after a success and completes when the rest finish', async () => {
  const w = await setup(job('queue', { parallelism: 3 }));
  await runUntilSettled(w, controllers);
  const [first, ...rest] = await running(w);
  assert.equal(rest.length, 2);
  await finishPods(w.ctx, (p) => p.metadata.name === first.metadata.name, 'Succeeded');
  await runUntilSettled(w, controllers);
  assert.equal((await running(w)).length, 2, 'no replacement after a success');
  assert.equal(cond(await getJob(w, 'queue'), 'Complete'), undefined);
  await finishPods(w.ctx, () => true, 'Succeeded');
  await runUntilSettled(w, controllers);
  const j = await getJob(w, 'queue');
  assert.equal(j.status.succeeded, 3);
  assert.ok(cond(j, 'Complete'));
});
