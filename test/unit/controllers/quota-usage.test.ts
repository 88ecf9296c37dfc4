import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quotaStatus, trackedResources } from '../../../src/kube/admission/quota.ts';
import { nextGraceExpiry } from '../../../src/controllers/resourcequota/usage.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const pod = (name: string, cpu: string, memory: string, extra: { phase?: string; deletionTimestamp?: string; grace?: number } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'ns',
    ...(extra.deletionTimestamp ? { deletionTimestamp: extra.deletionTimestamp, deletionGracePeriodSeconds: extra.grace ?? 30 } : {}),
  },
  spec: { containers: [{ name: 'c', resources: { requests: { cpu, memory }, limits: { cpu, memory: '1Gi' } } }] },
  status: { phase: extra.phase ?? 'Running' },
});
const quota = (hard: Record<string, string>, used?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'q', namespace: 'ns' },
  spec: { hard },
  ...(used ? { status: { hard, used } } : {}),
});

test('quota keys map to the objects they count', () => {
  const hard = {
    pods: '10',
    'requests.cpu': '4',
    'count/deployments.apps': '5',
    'requests.storage': '10Gi',
    services: '3',
    'services.loadbalancers': '1',
    configmaps: '9',
    'fast.storageclass.storage.k8s.io/requests.storage': '1Gi',
  };
  const tracked = trackedResources(hard);
  assert.deepEqual(tracked.get('pods'), ['pods', 'requests.cpu']);
  assert.deepEqual(tracked.get('deployments.apps'), ['count/deployments.apps']);
  assert.deepEqual(tracked.get('persistentvolumeclaims'), ['requests.storage', 'fast.storageclass.storage.k8s.io/requests.storage']);
  assert.deepEqual(tracked.get('services'), ['services', 'services.loadbalancers']);
  assert.deepEqual(tracked.get('configmaps'), ['configmaps']);
});

test('finished pods and pods past their deletion grace hold no compute quota, but still count as count/pods', () => {
  const pods = [
    pod('running', '500m', '256Mi'),
    pod('done', '1', '1Gi', { phase: 'Succeeded' }),
    pod('failed', '1', '1Gi', { phase: 'Failed' }),
    pod('terminating', '250m', '128Mi', { deletionTimestamp: iso(NOW - 10_000), grace: 30 }),
    pod('lost', '2', '2Gi', { deletionTimestamp: iso(NOW - 50_000), grace: 30 }),
  ];
  const hard = { pods: '10', 'count/pods': '10', 'requests.cpu': '4', 'requests.memory': '4Gi', 'limits.cpu': '8', 'limits.memory': '8Gi', cpu: '4' };
  const status = quotaStatus(quota(hard), (r) => (r === 'pods' ? pods : []), NOW);
  assert.deepEqual(status.hard, hard);
  assert.deepEqual(status.used, {
    pods: '2',
    'count/pods': '5',
    'requests.cpu': '750m',
    'requests.memory': '384Mi',
    'limits.cpu': '750m',
    'limits.memory': '2Gi',
    cpu: '750m',
  });
  // The terminating pod stops counting once its deletion time plus grace has passed.
  assert.equal(nextGraceExpiry(pods, NOW), NOW - 10_000 + 30_000 + 1);
  const after = quotaStatus(quota(hard), (r) => (r === 'pods' ? pods : []), NOW + 30_000);
  assert.equal(after.used.pods, '1');
});

test('storage, services and object counts; keys no evaluator knows keep their last value', () => {
  const objects: Record<string, KubeObject[]> = {
    persistentvolumeclaims: [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'a' },
        spec: { storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } },
      },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'b' }, spec: { resources: { requests: { storage: '1Gi' } } } },
    ],
    services: [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'c' }, spec: {} },
    ],
    configmaps: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }],
  };
  const hard = {
    persistentvolumeclaims: '4',
    'requests.storage': '20Gi',
    'fast.storageclass.storage.k8s.io/requests.storage': '10Gi',
    services: '5',
    'services.loadbalancers': '1',
    'services.nodeports': '2',
    configmaps: '3',
    secrets: '3',
    'example.com/widgets': '2',
  };
  const status = quotaStatus(quota(hard, { 'example.com/widgets': '1', stale: '9' }), (r) => objects[r] ?? [], NOW);
  assert.deepEqual(status.used, {
    'example.com/widgets': '1',
    persistentvolumeclaims: '2',
    'requests.storage': '6Gi',
    'fast.storageclass.storage.k8s.io/requests.storage': '5Gi',
    services: '2',
    'services.loadbalancers': '1',
    'services.nodeports': '1',
    configmaps: '1',
    secrets: '0',
  });
});
