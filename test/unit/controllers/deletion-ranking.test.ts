import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankPodsForDeletion } from '../../../src/controllers/replicaset/deletion-ranking.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');

interface PodSpec {
  name: string;
  node?: string;
  phase?: string;
  readyFor?: number;
  cost?: number;
  restarts?: number;
  age?: number;
}

function pod(p: PodSpec): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      uid: `uid-${p.name}`,
      namespace: 'default',
      creationTimestamp: ago(p.age ?? 3600),
      annotations: p.cost !== undefined ? { 'controller.kubernetes.io/pod-deletion-cost': String(p.cost) } : undefined,
    },
    spec: { nodeName: p.node },
    status: {
      phase: p.phase ?? 'Running',
      conditions: p.readyFor !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: ago(p.readyFor) }] : [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: 'c', restartCount: p.restarts ?? 0 }],
    },
  };
}

const order = (pods: KubeObject[], related = pods) => rankPodsForDeletion(pods, related, NOW).map((p) => p.metadata.name);

test('unassigned before assigned, Pending before Unknown before Running, not ready before ready', () => {
  const pods = [
    pod({ name: 'running-ready', node: 'a', readyFor: 100 }),
    pod({ name: 'running-notready', node: 'b' }),
    pod({ name: 'unknown', node: 'c', phase: 'Unknown' }),
    pod({ name: 'pending', node: 'd', phase: 'Pending' }),
    pod({ name: 'unassigned', phase: 'Pending' }),
  ];
  assert.deepEqual(order(pods), ['unassigned', 'pending', 'unknown', 'running-notready', 'running-ready']);
});

test('lower pod-deletion-cost goes first, before any ranking by node or time', () => {
  const pods = [pod({ name: 'precious', node: 'a', readyFor: 10, cost: 100 }), pod({ name: 'cheap', node: 'b', readyFor: 9000, cost: -5 })];
  assert.deepEqual(order(pods), ['cheap', 'precious']);
});

test('pods doubled up on a node go before lone ones, counting sibling ReplicaSets', () => {
  const a1 = pod({ name: 'a1', node: 'a', readyFor: 7200 });
  const b1 = pod({ name: 'b1', node: 'b', readyFor: 7200 });
  const sibling = pod({ name: 'sibling-on-b', node: 'b', readyFor: 7200 });
  assert.deepEqual(order([a1, b1], [a1, b1, sibling]), ['b1', 'a1']);
});

test('ready for a shorter time first, in log2 buckets; then more restarts; then newer', () => {
  const pods = [pod({ name: 'old-ready', node: 'a', readyFor: 100_000 }), pod({ name: 'fresh-ready', node: 'b', readyFor: 30 })];
  assert.deepEqual(order(pods), ['fresh-ready', 'old-ready']);
  // Same readiness bucket (uid breaks the tie), so restarts never get compared here:
  const same = [pod({ name: 'x', node: 'a', readyFor: 1000 }), pod({ name: 'y', node: 'b', readyFor: 1001 })];
  assert.deepEqual(order(same), ['x', 'y']);
  const notReady = [pod({ name: 'calm', node: 'a', age: 50 }), pod({ name: 'crashy', node: 'b', restarts: 5, age: 50 })];
  assert.deepEqual(order(notReady), ['crashy', 'calm']);
  const ages = [pod({ name: 'elder', node: 'a', age: 100_000 }), pod({ name: 'young', node: 'b', age: 60 })];
  assert.deepEqual(order(ages), ['young', 'elder']);
});
