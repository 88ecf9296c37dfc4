import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cronJobController } from '../../src/controllers/cronjob/controller.ts';
import { garbageCollector } from '../../src/controllers/garbage-collector/controller.ts';
import { jobController } from '../../src/controllers/job/controller.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { controllerWorld, eventsFor, listAll, runUntilSettled, type ControllerWorld } from './helpers/context.ts';
import { fakeKubelet, finishPods, node } from './helpers/fake-kubelet.ts';

const controllers = [cronJobController, jobController, garbageCollector, fakeKubelet()];
const MINUTE = 60_000;

function cronJob(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello', namespace: 'default' },
    spec: {
      schedule: '* * * * *',
      jobTemplate: {
        metadata: { labels: { app: 'hello' } },
        spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox' }] } } },
      },
      ...spec,
    },
  };
}

async function setup(spec: Record<string, unknown> = {}): Promise<ControllerWorld> {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, 'nodes', node('n1'));
  await w.store.create(w.clusterId, 'cronjobs.batch', cronJob(spec));
  await runUntilSettled(w, controllers);
  return w;
}

/** Lets the cluster clock run to the wake-up the CronJob controller asked for, then settles. */
async function nextRun(w: ControllerWorld): Promise<void> {
  const wake = w.lastResults.get('cronjob')?.requeueAfterMs;
  assert.ok(wake !== undefined, 'the controller asked to be woken');
  w.clock.advance(wake);
  await runUntilSettled(w, controllers);
}

const jobNames = async (w: ControllerWorld) => (await listAll(w, 'jobs.batch')).map((j) => j.metadata.name).sort();
const getCj = (w: ControllerWorld) => w.store.mustGet(w.clusterId, 'cronjobs.batch', 'default', 'hello');
const minuteOf = (w: ControllerWorld) => Math.floor(w.clock.now() / MINUTE);

test('a CronJob every minute creates a Job on time, named after its minute, and tracks it', async () => {
  const w = await setup();
  assert.deepEqual(await jobNames(w), []);
  assert.equal(w.lastResults.get('cronjob')?.requeueAfterMs, MINUTE + 100, 'wakes 100 ms after the next minute');
  await nextRun(w);
  const first = `hello-${minuteOf(w)}`;
  assert.deepEqual(await jobNames(w), [first]);
  const job = await w.store.mustGet(w.clusterId, 'jobs.batch', 'default', first);
  assert.equal(job.metadata.ownerReferences?.[0].kind, 'CronJob');
  assert.equal(
    job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'],
    new Date(minuteOf(w) * MINUTE).toISOString().replace('.000Z', 'Z'),
  );
  assert.equal((await listAll(w, 'pods')).length, 1, 'the Job runs its pod');
  const cj = await getCj(w);
  assert.deepEqual(
    cj.status.active.map((a: { name: string }) => a.name),
    [first],
  );
  assert.equal(cj.status.lastScheduleTime, new Date(minuteOf(w) * MINUTE).toISOString().replace('.000Z', 'Z'));
  await nextRun(w);
  assert.deepEqual(await jobNames(w), [first, `hello-${minuteOf(w)}`], 'Allow runs them side by side');
  assert.ok((await eventsFor(w, 'hello')).some((e) => e.reason === 'SuccessfulCreate' && e.message === `Created job ${first}`));
});

test('finished runs leave status.active, set lastSuccessfulTime, and history is trimmed to the limit', async () => {
  const w = await setup({ successfulJobsHistoryLimit: 1 });
  for (let i = 0; i < 3; i++) {
    await nextRun(w);
    await finishPods(w.ctx, () => true, 'Succeeded');
    await runUntilSettled(w, controllers);
  }
  const cj = await getCj(w);
  assert.equal(cj.status.active, undefined);
  assert.ok(cj.status.lastSuccessfulTime);
  assert.deepEqual(await jobNames(w), [`hello-${minuteOf(w)}`]);
  const events = await eventsFor(w, 'hello');
  assert.ok(events.some((e) => e.reason === 'SawCompletedJob' && e.message.endsWith('condition: Complete')));
  assert.ok(events.some((e) => e.reason === 'SuccessfulDelete'));
});

test('Forbid skips a run while one is active; Replace swaps it', async () => {
  const w = await setup({ concurrencyPolicy: 'Forbid' });
  await nextRun(w);
  const first = await jobNames(w);
  await nextRun(w);
  assert.deepEqual(await jobNames(w), first);
  assert.ok((await eventsFor(w, 'hello')).some((e) => e.reason === 'JobAlreadyActive'));

  const r = await setup({ concurrencyPolicy: 'Replace' });
  await nextRun(r);
  const [old] = await jobNames(r);
  await nextRun(r);
  assert.deepEqual(await jobNames(r), [`hello-${minuteOf(r)}`]);
  assert.notEqual(old, `hello-${minuteOf(r)}`);
});

test('no back-fill: after a long outage only the latest missed run starts, and only within startingDeadlineSeconds', async () => {
  const w = await setup();
  w.clock.advance(10 * MINUTE + 5_000);
  await runUntilSettled(w, controllers);
  assert.deepEqual(await jobNames(w), [`hello-${minuteOf(w)}`]);

  // With startingDeadlineSeconds, runs older than the deadline are simply not started.
  const late = await setup({ startingDeadlineSeconds: 30 });
  late.clock.advance(10 * MINUTE + 45_000);
  await runUntilSettled(late, controllers);
  assert.deepEqual(await jobNames(late), []);
  const inTime = await setup({ startingDeadlineSeconds: 30 });
  inTime.clock.advance(10 * MINUTE + 20_000);
  await runUntilSettled(inTime, controllers);
  assert.deepEqual(await jobNames(inTime), [`hello-${minuteOf(inTime)}`]);
});

test('suspend stops new runs', async () => {
  const w = await setup({ suspend: true });
  w.clock.advance(3 * MINUTE);
  await runUntilSettled(w, controllers);
  assert.deepEqual(await jobNames(w), []);
});

test('a Job that quota refuses is not created: FailedCreate on the CronJob, and a run after the quota is raised creates it', async () => {
  const w = await setup();
  const q = await w.store.create(w.clusterId, 'resourcequotas', {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'q', namespace: 'default' },
    spec: { hard: { 'count/jobs.batch': '0' } },
  });
  await nextRun(w);
  assert.deepEqual(await jobNames(w), []);
  const failed = (await eventsFor(w, 'hello')).filter((e) => e.reason === 'FailedCreate');
  assert.equal(failed[0]?.type, 'Warning');
  assert.match(
    failed[0].message,
    /^Error creating job: jobs\.batch "hello-\d+" is forbidden: exceeded quota: q, requested: count\/jobs\.batch=1, used: count\/jobs\.batch=0, limited: count\/jobs\.batch=0$/,
  );
  assert.equal((await getCj(w)).status?.lastScheduleTime, undefined, 'the refused run is not recorded as scheduled');

  await w.store.update(w.clusterId, 'resourcequotas', { ...q, spec: { hard: { 'count/jobs.batch': '5' } } });
  await nextRun(w);
  assert.equal((await jobNames(w)).length, 1);
  assert.equal((await w.store.mustGet(w.clusterId, 'resourcequotas', 'default', 'q')).status?.used?.['count/jobs.batch'], '1');
});
