import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types.ts';
import { clusterHealth } from '../../../src/monitoring/health.ts';

const node = (name: string, ready: 'True' | 'Unknown', extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  spec: ready === 'True' ? {} : { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] },
  status: {
    conditions: [
      {
        type: 'Ready',
        status: ready,
        reason: ready === 'True' ? 'KubeletReady' : 'NodeStatusUnknown',
        message: ready === 'True' ? 'kubelet is posting ready status' : 'Kubelet stopped posting node status.',
      },
    ],
  },
  ...extra,
});

test("health lists not-ready nodes, unavailable workloads, crash loops and unschedulable pods with Kubernetes' reasons", () => {
  const h = clusterHealth({
    nodes: [node('n1', 'True'), node('n2', 'Unknown')],
    pods: [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'api-1', namespace: 'shop' },
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'app',
              restartCount: 4,
              state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container=app pod=api-1_shop' } },
              lastState: { terminated: { reason: 'Error', exitCode: 1 } },
            },
          ],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'big-0', namespace: 'shop' },
        status: {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.',
              lastTransitionTime: '2026-01-01T00:00:00Z',
            },
          ],
        },
      },
    ],
    deployments: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api', namespace: 'shop' },
        spec: { replicas: 3 },
        status: {
          readyReplicas: 2,
          availableReplicas: 2,
          conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }],
        },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { replicas: 2 },
        status: { readyReplicas: 2, availableReplicas: 2 },
      },
    ],
    statefulsets: [],
    daemonsets: [
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: 'kube-system' },
        status: { desiredNumberScheduled: 2, numberReady: 1, numberAvailable: 1 },
      },
    ],
  });
  assert.equal(h.status, 'degraded');
  assert.deepEqual(h.nodes, {
    total: 2,
    ready: 1,
    notReady: [
      {
        name: 'n2',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        unschedulable: false,
        taints: ['node.kubernetes.io/unreachable:NoExecute'],
      },
    ],
  });
  assert.equal(h.workloads.total, 3);
  assert.equal(h.workloads.available, 1);
  assert.deepEqual(
    h.workloads.unavailable.map((w) => [w.kind, w.name, w.reason]),
    [
      ['Deployment', 'api', 'MinimumReplicasUnavailable'],
      ['DaemonSet', 'agent', 'PodsUnavailable'],
    ],
  );
  assert.deepEqual(h.crashLoopingPods, [
    {
      namespace: 'shop',
      name: 'api-1',
      container: 'app',
      restarts: 4,
      lastTerminationReason: 'Error',
      exitCode: 1,
      message: 'back-off 1m20s restarting failed container=app pod=api-1_shop',
    },
  ]);
  assert.equal(
    h.unschedulablePods[0].message,
    '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.',
  );
});

test('a cluster whose nodes are all down is unhealthy; a quiet one is healthy', () => {
  assert.equal(clusterHealth({ nodes: [node('n1', 'Unknown')], pods: [], deployments: [], statefulsets: [], daemonsets: [] }).status, 'unhealthy');
  assert.equal(clusterHealth({ nodes: [node('n1', 'True')], pods: [], deployments: [], statefulsets: [], daemonsets: [] }).status, 'healthy');
});
