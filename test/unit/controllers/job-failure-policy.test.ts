import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failJobMessage, isPodFailed, matchPodFailurePolicy } from '../../../src/controllers/job/failure-policy.ts';
import { indexRetryAt, replacementAnnotations } from '../../../src/controllers/job/per-index.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const terminatedWith = (name: string, exitCode: number) => ({ name, state: { terminated: { exitCode, finishedAt: '2026-01-01T00:00:00Z' } } });
const pod = (status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', ...meta },
  spec: {},
  status: { phase: 'Failed', ...status },
});
/** Policies as a request may carry them: unknown actions included, which the matcher skips. */
const match = (policy: any, p: KubeObject) => matchPodFailurePolicy(policy, p);
const exit = (op: string, values: number[], containerName?: string) => ({ operator: op, values, ...(containerName ? { containerName } : {}) });

test('exit code rules: In/NotIn, the container name, init containers, and exit 0 never matches', () => {
  const p = pod({ containerStatuses: [terminatedWith('main', 0), terminatedWith('side', 3)], initContainerStatuses: [terminatedWith('init', 0)] });
  const verdict = (onExitCodes: unknown, action = 'FailJob') => match({ rules: [{ action, onExitCodes }] }, p);
  assert.equal(verdict(exit('In', [3])).failJobMessage, 'Container side for pod ns/p failed with exit code 3 matching FailJob rule at index 0');
  assert.equal(verdict(exit('In', [3], 'main')).action, undefined, 'main exited 0');
  assert.equal(verdict(exit('NotIn', [1, 2])).action, 'FailJob', 'NotIn: 3 is not listed');
  assert.equal(verdict(exit('NotIn', [3])).action, undefined, 'the zero exits do not count as NotIn matches');
  const init = pod({ containerStatuses: [{ name: 'main', state: { waiting: {} } }], initContainerStatuses: [terminatedWith('init', 7)] });
  assert.equal(match({ rules: [{ action: 'Count', onExitCodes: exit('In', [7]) }] }, init).action, 'Count');
});

test('pod condition rules (status defaults to True), first matching rule wins, unknown actions are skipped', () => {
  const p = pod({ conditions: [{ type: 'DisruptionTarget', status: 'True' }], containerStatuses: [terminatedWith('main', 137)] });
  const policy = {
    rules: [
      { action: 'Restart', onExitCodes: exit('In', [137]) },
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
      { action: 'FailJob', onExitCodes: exit('In', [137]) },
    ],
  };
  assert.deepEqual(match(policy, p), { action: 'Ignore', counts: false });
  const falseStatus = match({ rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'False' }] }] }, p);
  assert.equal(falseStatus.action, undefined);
  const failJob = match(
    {
      rules: [
        { action: 'Count', onExitCodes: exit('In', [1]) },
        { action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      ],
    },
    p,
  );
  assert.equal(failJob.failJobMessage, 'Pod ns/p has condition DisruptionTarget matching FailJob rule at index 1');
  assert.deepEqual(match({ rules: [] }, p), { counts: true });
});

test('with a policy only pods in phase Failed are judged; without one a deleted pod counts as failed', () => {
  const deleting = pod({ phase: 'Running', containerStatuses: [terminatedWith('main', 42)] }, { deletionTimestamp: '2026-01-01T00:00:00Z' });
  const withPolicy: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j' },
    spec: { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: exit('In', [42]) }] } },
  };
  const plain: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: {} };
  assert.equal(isPodFailed(deleting, withPolicy), false);
  assert.equal(isPodFailed(deleting, plain), true);
  assert.equal(isPodFailed(deleting, { ...plain, spec: { podReplacementPolicy: 'Failed' } }), false);
  assert.equal(failJobMessage(withPolicy, [deleting]), undefined);
  assert.match(
    failJobMessage(withPolicy, [{ ...deleting, status: { ...deleting.status, phase: 'Failed' } }])!,
    /exit code 42 matching FailJob rule at index 0/,
  );
});

test('a replacement inherits its index failure counts; ignored failures grow only the back-off', () => {
  const policy: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j' },
    spec: { podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: exit('In', [143]) }] } },
  };
  const failed = (code: number, counts: Record<string, string>) => pod({ containerStatuses: [terminatedWith('main', code)] }, { annotations: counts });
  assert.deepEqual(replacementAnnotations(policy, undefined), { 'batch.kubernetes.io/job-index-failure-count': '0' });
  assert.deepEqual(replacementAnnotations(policy, failed(1, { 'batch.kubernetes.io/job-index-failure-count': '2' })), {
    'batch.kubernetes.io/job-index-failure-count': '3',
  });
  const ignored = failed(143, { 'batch.kubernetes.io/job-index-failure-count': '1', 'batch.kubernetes.io/job-index-ignored-failure-count': '1' });
  assert.deepEqual(replacementAnnotations(policy, ignored), {
    'batch.kubernetes.io/job-index-failure-count': '1',
    'batch.kubernetes.io/job-index-ignored-failure-count': '2',
  });
  // Back-off: 10 s doubling with every failure of the index, counted or not.
  const at = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(indexRetryAt(failed(1, {})), at + 10_000);
  assert.equal(indexRetryAt(ignored), at + 40_000);
  assert.equal(indexRetryAt(failed(1, { 'batch.kubernetes.io/job-index-failure-count': 'junk' })), at + 10_000, 'malformed counts read as 0');
});
