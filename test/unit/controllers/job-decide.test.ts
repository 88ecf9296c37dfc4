import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideJob, type JobDecision, type JobPlan } from '../../../src/controllers/job/decide.ts';
import { jobStatusAfter } from '../../../src/controllers/job/status.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { isoTime } from '../../../src/lib/clock.ts';

// The Job's decision without a store: a Job, its pods and the clock in, the plan out.
const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = isoTime;
const FINALIZER = 'batch.kubernetes.io/job-tracking';
const INDEX = 'batch.kubernetes.io/job-completion-index';

const job = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'ns', uid: 'job-uid', creationTimestamp: iso(T0) },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'pi' }] } }, ...spec },
  status,
});

let serial = 0;
interface PodOpts {
  phase?: string;
  index?: number;
  exitCode?: number;
  finishedAt?: number;
  tracked?: boolean;
  deleting?: boolean;
  restarts?: number;
  annotations?: Record<string, string>;
}
function pod({ phase = 'Running', index, exitCode, finishedAt = T0, tracked = true, deleting, restarts, annotations = {} }: PodOpts = {}): KubeObject {
  const name = `pi-${index ?? ''}${serial++}`;
  const terminated = phase === 'Succeeded' || phase === 'Failed';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      creationTimestamp: iso(T0),
      ...(tracked ? { finalizers: [FINALIZER] } : {}),
      ...(deleting ? { deletionTimestamp: iso(finishedAt) } : {}),
      annotations: { ...annotations, ...(index !== undefined ? { [INDEX]: String(index) } : {}) },
    },
    spec: { nodeName: 'n1', containers: [{ name: 'main' }] },
    status: {
      phase,
      containerStatuses: [
        {
          name: 'main',
          restartCount: restarts ?? 0,
          state: terminated ? { terminated: { exitCode: exitCode ?? (phase === 'Failed' ? 1 : 0), finishedAt: iso(finishedAt) } } : { running: {} },
        },
      ],
    },
  };
}

function run(d: JobDecision): JobPlan {
  assert.equal(d.kind, 'run');
  return d as JobPlan;
}
const names = (pods: KubeObject[]) => pods.map((p) => p.metadata.name).sort();
const conditionTypes = (plan: JobPlan) => plan.conditions.map((c) => `${c.type}=${c.status}:${c.reason}`);
/** The status written when every planned pod write succeeds (deletions of running pods leave them terminating). */
const settle = (plan: JobPlan, now: number, created: KubeObject[] = []) =>
  jobStatusAfter(plan, { deleted: new Map(plan.delete.map((p) => [p.metadata.uid!, 'terminating' as const])), created }, now);

test('completions and parallelism: at most parallelism pods, and no more than the completions left', () => {
  const fresh = run(decideJob(job({ completions: 5, parallelism: 2 }), [], T0));
  assert.deepEqual(fresh.create, { count: 2, indexes: undefined });
  assert.equal(fresh.status.startTime, iso(T0));
  assert.equal(fresh.ending, undefined);

  // Four counted, one running: nothing to start (one completion left, one pod on it).
  const nearly = run(decideJob(job({ completions: 5, parallelism: 2 }, { succeeded: 4, startTime: iso(T0) }), [pod()], T0 + 1000));
  assert.equal(nearly.create, undefined);
  assert.deepEqual(nearly.delete, []);

  // Too many running for what is left: the surplus is deleted.
  const surplus = run(decideJob(job({ completions: 5, parallelism: 3 }, { succeeded: 4, startTime: iso(T0) }), [pod(), pod(), pod()], T0));
  assert.equal(surplus.delete.length, 2);
});

test('a succeeded pod is counted once, released with the status, and the Job completes when none is left running', () => {
  const done = pod({ phase: 'Succeeded' });
  const plan = run(decideJob(job({ completions: 1 }, { startTime: iso(T0) }), [done], T0 + 5000));
  assert.deepEqual(names(plan.release), [done.metadata.name]);
  assert.equal(plan.succeeded, 1);
  assert.deepEqual(conditionTypes(plan), ['SuccessCriteriaMet=True:CompletionsReached']);
  const { status, events } = settle(plan, T0 + 5000);
  assert.deepEqual(
    (status.conditions as { type: string }[]).map((c) => c.type),
    ['SuccessCriteriaMet', 'Complete'],
  );
  assert.equal(status.completionTime, iso(T0 + 5000));
  assert.deepEqual(events, [{ type: 'Normal', reason: 'Completed', message: 'Job completed' }]);
  assert.equal(status.succeeded, 1);
  assert.equal(status.active, 0);

  // Counted already (no finalizer): not counted again.
  const again = run(decideJob(job({ completions: 2 }, { succeeded: 1, startTime: iso(T0) }), [pod({ phase: 'Succeeded', tracked: false })], T0));
  assert.equal(again.succeeded, 1);
  assert.deepEqual(again.release, []);
});

test('backoffLimit: failures wait out the back-off, and the one past the limit fails the Job and kills the rest', () => {
  const failedAt = T0 + 2000;
  const backingOff = run(
    decideJob(job({ completions: 2, backoffLimit: 2 }, { startTime: iso(T0) }), [pod({ phase: 'Failed', finishedAt: failedAt })], failedAt + 1000),
  );
  assert.equal(backingOff.failed, 1);
  assert.equal(backingOff.create, undefined, 'no new pod during the 10 s back-off');
  assert.equal(backingOff.wakeAt, failedAt + 10_000);
  const after = run(
    decideJob(job({ completions: 2, backoffLimit: 2 }, { startTime: iso(T0) }), [pod({ phase: 'Failed', finishedAt: failedAt })], failedAt + 10_000),
  );
  assert.deepEqual(after.create, { count: 1, indexes: undefined }, 'parallelism defaults to 1');

  const running = pod();
  const over = run(decideJob(job({ completions: 2, backoffLimit: 2 }, { failed: 2, startTime: iso(T0) }), [running, pod({ phase: 'Failed' })], T0 + 60_000));
  assert.equal(over.failed, 3);
  assert.deepEqual(conditionTypes(over), ['FailureTarget=True:BackoffLimitExceeded']);
  assert.deepEqual(names(over.delete), [running.metadata.name]);
  assert.equal(over.create, undefined);
  // Failed waits for the killed pod to be gone.
  const { status, events } = settle(over, T0 + 60_000);
  assert.equal(status.terminating, 1);
  assert.deepEqual(events, []);
  assert.ok(!(status.conditions as { type: string }[]).some((c) => c.type === 'Failed'));
  const gone = jobStatusAfter(over, { deleted: new Map([[running.metadata.uid!, 'gone']]), created: [] }, T0 + 60_000);
  assert.deepEqual(gone.events, [{ type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]);

  // restartPolicy OnFailure counts container restarts instead.
  const onFailure = job({ backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'main' }] } } }, { startTime: iso(T0) });
  assert.equal(run(decideJob(onFailure, [pod({ restarts: 1 })], T0)).ending, undefined);
  assert.equal(run(decideJob(onFailure, [pod({ restarts: 2 })], T0)).ending?.reason, 'BackoffLimitExceeded');
});

test('podFailurePolicy: a FailJob rule ends the Job at once, an Ignore rule does not count the failure', () => {
  const rules = [
    { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
    { action: 'Ignore', onExitCodes: { operator: 'In', values: [143] } },
  ];
  const spec = { completions: 1, backoffLimit: 0, podFailurePolicy: { rules } };
  const fatal = pod({ phase: 'Failed', exitCode: 42 });
  const failJob = run(decideJob(job(spec, { startTime: iso(T0) }), [fatal, pod()], T0));
  assert.equal(failJob.ending?.reason, 'PodFailurePolicy');
  assert.match(
    failJob.ending!.message,
    new RegExp(`Container main for pod ns/${fatal.metadata.name} failed with exit code 42 matching FailJob rule at index 0`),
  );
  assert.equal(failJob.delete.length, 1);

  const ignored = run(decideJob(job(spec, { startTime: iso(T0) }), [pod({ phase: 'Failed', exitCode: 143, finishedAt: T0 - 60_000 })], T0));
  assert.equal(ignored.failed, 0, 'an ignored failure is not counted');
  assert.equal(ignored.ending, undefined);
  assert.equal(ignored.release.length, 1, 'but it is let go');

  // With a policy a pod being deleted is not failed yet, and still holds its slot.
  const deleting = pod({ deleting: true });
  const waiting = run(decideJob(job(spec, { startTime: iso(T0) }), [deleting], T0));
  assert.equal(waiting.release.length, 0);
  assert.equal(waiting.create, undefined);
  assert.equal(waiting.terminating, 1);
});

test('indexed Jobs: one pod per pending index, lowest first; duplicates and finished indexes are deleted', () => {
  const spec = { completions: 4, parallelism: 3, completionMode: 'Indexed' };
  const fresh = run(decideJob(job(spec), [], T0));
  assert.deepEqual(fresh.create, { count: 3, indexes: [0, 1, 2] });

  const dup = pod({ index: 1 });
  const plan = run(
    decideJob(job(spec, { completedIndexes: '0', startTime: iso(T0) }), [pod({ index: 0 }), pod({ index: 1 }), dup, pod({ index: 3, phase: 'Succeeded' })], T0),
  );
  assert.deepEqual([...plan.completed!].sort(), [0, 3]);
  assert.equal(plan.succeeded, 2);
  assert.equal(plan.delete.length, 2, 'the pod of done index 0 and one of the two on index 1');
  assert.ok(plan.delete.some((p) => p.metadata.annotations?.[INDEX] === '0'));
  assert.deepEqual(plan.create, { count: 1, indexes: [2] });
  assert.equal(settle(plan, T0).status.completedIndexes, '0,3');
});

test('backoffLimitPerIndex: a failed index waits for its own back-off, its replacement inherits the count, and too many failures fail it', () => {
  const spec = { completions: 2, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 1 };
  const failedAt = T0;
  const first = pod({ index: 0, phase: 'Failed', finishedAt: failedAt });
  const early = run(decideJob(job(spec, { startTime: iso(T0) }), [first, pod({ index: 1 })], failedAt + 5000));
  assert.equal(early.create, undefined);
  assert.equal(early.wakeAt, failedAt + 10_000);
  assert.deepEqual(early.release, [], 'held until its replacement exists');
  const due = run(decideJob(job(spec, { startTime: iso(T0) }), [first, pod({ index: 1 })], failedAt + 10_000));
  assert.deepEqual(due.create?.indexes, [0]);
  assert.deepEqual(Object.fromEntries(due.create!.annotations!), { 0: { 'batch.kubernetes.io/job-index-failure-count': '1' } });

  const second = pod({ index: 0, phase: 'Failed', annotations: { 'batch.kubernetes.io/job-index-failure-count': '1' } });
  const failedIndex = run(decideJob(job(spec, { startTime: iso(T0) }), [second, pod({ index: 1, phase: 'Succeeded' })], T0));
  assert.deepEqual([...failedIndex.failedIndexes!], [0]);
  assert.equal(failedIndex.ending?.reason, 'FailedIndexes');
  assert.equal(settle(failedIndex, T0).status.failedIndexes, '0');
});

test('activeDeadlineSeconds: a wake-up at the deadline, then DeadlineExceeded and the pods killed', () => {
  const spec = { completions: 1, activeDeadlineSeconds: 30 };
  const running = pod();
  const before = run(decideJob(job(spec, { startTime: iso(T0) }), [running], T0 + 10_000));
  assert.equal(before.wakeAt, T0 + 30_000);
  assert.equal(before.ending, undefined);
  const at = run(decideJob(job(spec, { startTime: iso(T0) }), [running], T0 + 30_000));
  assert.equal(at.ending?.reason, 'DeadlineExceeded');
  assert.deepEqual(names(at.delete), [running.metadata.name]);
});

test('suspend: pods are deleted without counting, the clock stops, and resuming starts them again', () => {
  const running = pod();
  const suspended = run(
    decideJob(
      job({ completions: 2, suspend: true, activeDeadlineSeconds: 5 }, { startTime: iso(T0) }),
      [running, pod({ phase: 'Failed', deleting: true })],
      T0 + 60_000,
    ),
  );
  assert.deepEqual(names(suspended.delete), [running.metadata.name]);
  assert.equal(suspended.failed, 0, 'pods removed by the suspension count as nothing');
  assert.equal(suspended.ending, undefined, 'no deadline while suspended');
  assert.equal(suspended.status.startTime, undefined);
  assert.deepEqual(conditionTypes(suspended), ['Suspended=True:JobSuspended']);
  assert.deepEqual(suspended.events, [{ type: 'Normal', reason: 'Suspended', message: 'Job suspended' }]);

  const conditions = suspended.conditions;
  const resumed = run(decideJob(job({ completions: 2 }, { conditions }), [], T0 + 120_000));
  assert.deepEqual(conditionTypes(resumed), ['Suspended=False:JobResumed']);
  assert.deepEqual(resumed.events, [{ type: 'Normal', reason: 'Resumed', message: 'Job resumed' }]);
  assert.equal(resumed.status.startTime, iso(T0 + 120_000));
  assert.equal(resumed.create?.count, 1);
});

test('a finished Job, or one being deleted, only lets its pods go', () => {
  const tracked = pod({ phase: 'Succeeded' });
  const complete = job({ completions: 1 }, { conditions: [{ type: 'Complete', status: 'True' }] });
  assert.deepEqual(decideJob(complete, [tracked, pod({ tracked: false })], T0), { kind: 'let-go', release: [tracked] });
  const deleting = { ...job({}), metadata: { ...job({}).metadata, deletionTimestamp: iso(T0) } };
  assert.equal(decideJob(deleting, [tracked], T0).kind, 'let-go');
});
