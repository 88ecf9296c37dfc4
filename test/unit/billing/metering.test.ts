import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadBalancerIntervalKey,
  podIntervalAttributes,
  podIntervalKey,
  podMeteringChanged,
  volumeIntervalAttributes,
  workloadOf,
} from '../../../src/billing/metering.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const pod = (over: Partial<KubeObject['metadata']> = {}, spec: object = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-5d8f7c9b4-abcde',
    namespace: 'shop',
    labels: { app: 'web', 'pod-template-hash': '5d8f7c9b4' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f7c9b4', uid: 'u', controller: true }],
    ...over,
  },
  spec: {
    nodeName: 'node-1',
    containers: [
      { name: 'app', resources: { requests: { cpu: '250m', memory: '512Mi' } } },
      { name: 'log', resources: { limits: { cpu: '100m', memory: '64Mi' } } }, // limit only: requests = limits
    ],
    initContainers: [{ name: 'migrate', resources: { requests: { cpu: '1', memory: '1Gi' } } }],
    volumes: [
      { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
      { name: 'cfg', configMap: { name: 'c' } },
    ],
    ...spec,
  },
});

test('a Deployment pod meters its effective requests, node, workload, labels and claims', () => {
  const attrs = podIntervalAttributes(pod());
  // app + log = 350m / 576Mi, but the init container needs 1 CPU / 1 GiB first: max wins
  assert.deepEqual(attrs, {
    namespace: 'shop',
    name: 'web-5d8f7c9b4-abcde',
    cpuMilli: 1000,
    memoryBytes: 2 ** 30,
    workload: 'Deployment/web',
    labels: { app: 'web', 'pod-template-hash': '5d8f7c9b4' },
    node: 'node-1',
    claims: ['web-data'],
  });
  assert.deepEqual(podIntervalKey('cls_a', pod()), { clusterId: 'cls_a', kind: 'pod', subject: 'shop/web-5d8f7c9b4-abcde' });
});

test('workloads: StatefulSet, Job, bare pod', () => {
  assert.equal(
    workloadOf(pod({ labels: {}, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] })),
    'StatefulSet/db',
  );
  assert.equal(
    workloadOf(pod({ labels: {}, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'nightly-123', uid: 'u', controller: true }] })),
    'Job/nightly-123',
  );
  assert.equal(workloadOf(pod({ name: 'debug', ownerReferences: undefined })), 'Pod/debug');
  // a ReplicaSet not made by a Deployment keeps its own name
  assert.equal(
    workloadOf(pod({ labels: {}, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs-1', uid: 'u', controller: true }] })),
    'ReplicaSet/rs-1',
  );
});

test('only request or node changes call for a new interval', () => {
  const a = podIntervalAttributes(pod());
  assert.equal(podMeteringChanged(a, { ...a, labels: { app: 'other' } }), false);
  assert.equal(podMeteringChanged(a, { ...a, cpuMilli: 2000 }), true);
  assert.equal(podMeteringChanged(a, { ...a, node: 'node-2' }), true);
});

test("a volume meters capacity, class, the class's disk type and its claim", () => {
  const pv: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pvc-123' },
    spec: { capacity: { storage: '25Gi' }, storageClassName: 'slow', claimRef: { namespace: 'default', name: 'pv-ticket' } },
  };
  const slow: KubeObject = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'slow' },
    provisioner: 'kubernetes.io/gce-pd',
    parameters: { type: 'pd-standard' },
  };
  assert.deepEqual(volumeIntervalAttributes(pv, slow), {
    sizeBytes: 25 * 2 ** 30,
    storageClass: 'slow',
    volumeType: 'pd-standard',
    claimNamespace: 'default',
    claimName: 'pv-ticket',
  });
  const azure: KubeObject = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'managed-csi-premium' },
    parameters: { skuName: 'Premium_LRS' },
  };
  assert.equal(volumeIntervalAttributes(pv, azure).volumeType, 'Premium_LRS');
  assert.deepEqual(loadBalancerIntervalKey('c', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'front', namespace: 'web' } }), {
    clusterId: 'c',
    kind: 'loadbalancer',
    subject: 'web/front',
  });
});
