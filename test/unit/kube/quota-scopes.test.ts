import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podMatchesScope, quotaCovers, quotaScopeRequirements } from '../../../src/kube/admission/quota-scopes.ts';
import { validateQuotaScopes } from '../../../src/kube/validation/quota-scopes.ts';
import { quotaStatus } from '../../../src/kube/admission/quota.ts';
import { fieldErrorMessage } from '../../../src/kube/status.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const pod = (name: string, spec: Record<string, unknown> = {}, cpu?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns' },
  spec: { containers: [{ name: 'c', image: 'busybox', ...(cpu ? { resources: { requests: { cpu } } } : {}) }], ...spec },
  status: { phase: 'Running' },
});
const quota = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'ns' }, spec });

const bestEffort = pod('be');
const burstable = pod('burst', {}, '100m');
const deadline = pod('batch', { activeDeadlineSeconds: 60 }, '200m');
const critical = pod('crit', { priorityClassName: 'high' }, '300m');
const crossNs = pod('cross', {
  affinity: {
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'x', namespaceSelector: {} } }] },
  },
});

test('each scope selects the pods Kubernetes says it does', () => {
  const match = (scopeName: string, p: KubeObject, operator = 'Exists', values?: string[]) => podMatchesScope(p, { scopeName, operator, values });
  assert.deepEqual(
    [bestEffort, burstable, deadline].map((p) => match('BestEffort', p)),
    [true, false, false],
  );
  assert.deepEqual(
    [bestEffort, burstable, deadline].map((p) => match('NotBestEffort', p)),
    [false, true, true],
  );
  assert.deepEqual(
    [burstable, deadline].map((p) => match('Terminating', p)),
    [false, true],
  );
  assert.deepEqual(
    [burstable, deadline].map((p) => match('NotTerminating', p)),
    [true, false],
  );
  assert.deepEqual(
    [burstable, crossNs].map((p) => match('CrossNamespacePodAffinity', p)),
    [false, true],
  );
  assert.deepEqual(
    [burstable, critical].map((p) => match('PriorityClass', p)),
    [false, true],
    'Exists: any priority class',
  );
  assert.deepEqual(
    [burstable, critical].map((p) => match('PriorityClass', p, 'DoesNotExist')),
    [true, false],
  );
  assert.deepEqual(
    [burstable, critical].map((p) => match('PriorityClass', p, 'In', ['high', 'medium'])),
    [false, true],
  );
  assert.deepEqual(
    [burstable, critical].map((p) => match('PriorityClass', p, 'NotIn', ['high'])),
    [true, false],
    'NotIn also matches pods without a class',
  );
});

test('a scoped quota covers only pods matching every scope, and never other kinds', () => {
  const q = quota({
    hard: { pods: '5' },
    scopes: ['NotBestEffort'],
    scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] },
  });
  assert.deepEqual(
    quotaScopeRequirements(q).map((r) => `${r.scopeName}:${r.operator}`),
    ['NotBestEffort:Exists', 'PriorityClass:In'],
  );
  assert.deepEqual(
    [bestEffort, burstable, critical].map((p) => quotaCovers(q, 'pods', p)),
    [false, false, true],
  );
  assert.equal(quotaCovers(q, 'services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }), false);
  assert.equal(quotaCovers(quota({ hard: { services: '1' } }), 'services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }), true);
});

test('status.used of a scoped quota sums only the pods its scopes select', () => {
  const pods = [bestEffort, burstable, deadline, critical];
  const terminating = quotaStatus(quota({ hard: { pods: '10', 'requests.cpu': '2' }, scopes: ['Terminating'] }), () => pods, 0);
  assert.deepEqual(terminating.used, { pods: '1', 'requests.cpu': '200m' });
  const notBestEffort = quotaStatus(quota({ hard: { pods: '10', 'requests.cpu': '2' }, scopes: ['NotBestEffort'] }), () => pods, 0);
  assert.deepEqual(notBestEffort.used, { pods: '3', 'requests.cpu': '600m' });
  const bestEffortOnly = quotaStatus(quota({ hard: { pods: '10' }, scopes: ['BestEffort'] }), () => pods, 0);
  assert.deepEqual(bestEffortOnly.used, { pods: '1' });
});

test('validation: which resources a scope may cap, operators, values and conflicts', () => {
  const msgs = (spec: Record<string, unknown>) => validateQuotaScopes(spec).map(fieldErrorMessage);
  assert.deepEqual(msgs({ hard: { pods: '1' }, scopes: ['BestEffort'] }), []);
  assert.deepEqual(msgs({ hard: { pods: '1', 'requests.cpu': '1' }, scopes: ['BestEffort'] }), [
    'spec.scopes: Invalid value: ["BestEffort"]: unsupported scope applied to resource',
  ]);
  assert.deepEqual(msgs({ hard: { services: '1' }, scopes: ['Terminating'] }), [
    'spec.scopes: Invalid value: ["Terminating"]: unsupported scope applied to resource',
  ]);
  assert.deepEqual(msgs({ hard: { 'count/deployments.apps': '1', pods: '2' }, scopes: ['NotTerminating'] }), [], 'non-standard names are not checked');
  assert.deepEqual(msgs({ hard: { pods: '1' }, scopes: ['Weekend'] }), ['spec.scopes: Invalid value: ["Weekend"]: unsupported scope']);
  assert.deepEqual(msgs({ hard: { pods: '1' }, scopes: ['Terminating', 'NotTerminating'] }), [
    'spec.scopes: Invalid value: ["Terminating","NotTerminating"]: conflicting scopes',
  ]);
  const sel = (matchExpressions: unknown[]) => msgs({ hard: { pods: '1' }, scopeSelector: { matchExpressions } });
  assert.deepEqual(sel([{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }]), []);
  assert.deepEqual(sel([{ scopeName: 'PriorityClass', operator: 'In' }]), [
    "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
  ]);
  assert.deepEqual(sel([{ scopeName: 'PriorityClass', operator: 'Exists', values: ['x'] }]), [
    "spec.scopeSelector.matchExpressions.values: Invalid value: [\"x\"]: must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
  ]);
  assert.match(
    sel([{ scopeName: 'BestEffort', operator: 'In', values: ['x'] }])[0],
    /^spec\.scopeSelector\.matchExpressions\.operator: Invalid value: "In": must be 'Exist' when scope is any of/,
  );
  assert.deepEqual(sel([{ scopeName: 'PriorityClass', operator: 'Near', values: ['x'] }]), [
    'spec.scopeSelector.matchExpressions.operator: Invalid value: "Near": not a valid selector operator',
  ]);
});
