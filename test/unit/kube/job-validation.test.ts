import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateJob } from '../../../src/kube/validation/workloads.ts';
import { defaultJobSpec } from '../../../src/kube/defaults/workloads.ts';
import { fieldErrorMessage } from '../../../src/kube/status.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const job = (spec: Record<string, unknown>, restartPolicy = 'Never'): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'j', namespace: 'ns' },
  spec: {
    template: { spec: { restartPolicy, containers: [{ name: 'main', image: 'busybox' }], initContainers: [{ name: 'setup', image: 'busybox' }] } },
    ...spec,
  },
});
const msgs = (spec: Record<string, unknown>, restartPolicy?: string) => validateJob(job(spec, restartPolicy)).map(fieldErrorMessage);
const policy = (...rules: unknown[]) => ({ podFailurePolicy: { rules } });

test('a valid pod failure policy passes; OnFailure pods cannot have one', () => {
  assert.deepEqual(
    msgs(
      policy(
        { action: 'FailJob', onExitCodes: { containerName: 'setup', operator: 'In', values: [1, 42] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        { action: 'Count', onExitCodes: { operator: 'NotIn', values: [0, 3] } },
      ),
    ),
    [],
  );
  assert.deepEqual(msgs(policy({ action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }), 'OnFailure'), [
    'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
  ]);
});

test('exit code requirements: operator, container name, sorted unique values, no 0 with In, at most 255', () => {
  const rule = (onExitCodes: unknown) => msgs(policy({ action: 'FailJob', onExitCodes }));
  assert.deepEqual(rule({ operator: 'Has', values: [1] }), [
    'spec.podFailurePolicy.rules[0].onExitCodes.operator: Unsupported value: "Has": supported values: "In", "NotIn"',
  ]);
  assert.deepEqual(rule({ containerName: 'other', operator: 'In', values: [1] }), [
    'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "other": must be one of the container or initContainer names in the pod template',
  ]);
  assert.deepEqual(rule({ operator: 'In', values: [0, 2, 2, 1] }), [
    'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
    'spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 2',
    'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [0,2,2,1]: must be ordered',
  ]);
  assert.deepEqual(rule({ operator: 'NotIn', values: [] }), [
    'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []: at least one value is required',
  ]);
  assert.deepEqual(rule({ operator: 'NotIn', values: Array.from({ length: 256 }, (_, i) => i + 1) }), [
    'spec.podFailurePolicy.rules[0].onExitCodes.values: Too many: 256: must have at most 255 items',
  ]);
});

test('rules: at most 20, an action, exactly one requirement, FailIndex only with backoffLimitPerIndex', () => {
  const ignore = { action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } };
  assert.deepEqual(msgs(policy(...Array.from({ length: 21 }, () => ignore))), ['spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items']);
  assert.deepEqual(msgs(policy({ onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] })), [
    'spec.podFailurePolicy.rules[0].action: Required value: valid values: ["Count","FailIndex","FailJob","Ignore"]',
  ]);
  assert.deepEqual(msgs(policy({ action: 'Ignore' })), [
    'spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
  ]);
  assert.deepEqual(msgs(policy({ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } })), [
    'spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
  ]);
  assert.deepEqual(msgs({ ...policy({ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'Maybe' }] }) }), [
    'spec.podFailurePolicy.rules[0].onPodConditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
  ]);
  assert.deepEqual(msgs({ ...policy(ignore), podReplacementPolicy: 'TerminatingOrFailed' }), [
    'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
  ]);
});

test('backoffLimitPerIndex and maxFailedIndexes need an Indexed Job; maxFailedIndexes needs backoffLimitPerIndex', () => {
  assert.deepEqual(msgs({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1, maxFailedIndexes: 2 }), []);
  assert.deepEqual(msgs({ backoffLimitPerIndex: 1 }), ['spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode']);
  assert.deepEqual(msgs({ completionMode: 'Indexed', completions: 3, maxFailedIndexes: 4 }), [
    'spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified',
    'spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions',
  ]);
});

test('podFailurePolicy and backoffLimitPerIndex are immutable; condition status defaults to True', () => {
  const old = job({ ...policy({ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } }) });
  const changed = job({ ...policy({ action: 'Ignore', onExitCodes: { operator: 'In', values: [2] } }) });
  assert.deepEqual(
    validateJob(changed, old).map((e) => e.field),
    ['spec.podFailurePolicy'],
  );
  const spec = { ...policy({ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }), template: {} } as Record<string, any>;
  defaultJobSpec(spec);
  assert.equal(spec.podFailurePolicy.rules[0].onPodConditions[0].status, 'True');
  assert.equal(spec.podReplacementPolicy, 'Failed');
});
