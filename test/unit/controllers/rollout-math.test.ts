import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  maxSurge,
  maxUnavailable,
  newReplicaSetSize,
  oldReplicaSetSizes,
  proportionalSizes,
  resolveFenceposts,
  type RolloutSpec,
  type RsView,
} from '../../../src/controllers/deployment/rollout-math.ts';

const rolling = (replicas: number, surge: number | string = '25%', unavailable: number | string = '25%'): RolloutSpec => ({
  replicas,
  type: 'RollingUpdate',
  maxSurge: surge,
  maxUnavailable: unavailable,
});
const rs = (name: string, replicas: number, available: number, createdMs = 0, maxReplicas?: number): RsView => ({
  name,
  replicas,
  available,
  createdMs,
  maxReplicas,
});

test('percentages: maxSurge rounds up, maxUnavailable rounds down (k8s-behavior.md §2.3)', () => {
  assert.deepEqual(resolveFenceposts('25%', '25%', 10), { surge: 3, unavailable: 2 });
  assert.deepEqual(resolveFenceposts('30%', '30%', 3), { surge: 1, unavailable: 0 });
  assert.deepEqual(resolveFenceposts(2, 1, 10), { surge: 2, unavailable: 1 });
});

test('with replicas 1 and the defaults, the new pod comes first: surge 1, unavailable 0', () => {
  assert.equal(maxSurge(rolling(1)), 1);
  assert.equal(maxUnavailable(rolling(1)), 0);
});

test('when both resolve to 0, maxUnavailable becomes 1; it never exceeds replicas', () => {
  assert.deepEqual(resolveFenceposts('0%', '0%', 10), { surge: 0, unavailable: 1 });
  assert.equal(maxUnavailable(rolling(2, 0, 5)), 2);
  assert.equal(maxUnavailable({ replicas: 10, type: 'Recreate' }), 0);
  assert.equal(maxSurge({ replicas: 10, type: 'Recreate' }), 0);
});

test('the new ReplicaSet grows only as far as the surge allows', () => {
  const d = rolling(10, 3, 2);
  assert.equal(newReplicaSetSize(d, [rs('old', 10, 10), rs('new', 0, 0)], rs('new', 0, 0)), 3);
  assert.equal(newReplicaSetSize(d, [rs('old', 8, 8), rs('new', 5, 0)], rs('new', 5, 0)), 5, 'already at 13 pods');
  assert.equal(newReplicaSetSize(d, [rs('old', 0, 0), rs('new', 9, 9)], rs('new', 9, 9)), 10, 'capped by replicas');
  assert.equal(newReplicaSetSize({ replicas: 4, type: 'Recreate' }, [rs('new', 0, 0)], rs('new', 0, 0)), 4);
});

test('old ReplicaSets scale down only while replicas − maxUnavailable stay available', () => {
  const d = rolling(10, 3, 2);
  // 13 pods, 10 available, new ones not ready: 2 old pods may go.
  assert.deepEqual(oldReplicaSetSizes(d, [rs('old', 10, 10), rs('new', 3, 0)], [rs('old', 10, 10)], rs('new', 3, 0)), new Map([['old', 8]]));
  // Nothing may go while the new pods are unavailable and we sit at the minimum.
  assert.deepEqual(oldReplicaSetSizes(d, [rs('old', 8, 8), rs('new', 5, 0)], [rs('old', 8, 8)], rs('new', 5, 0)), new Map());
  // Three new pods became available: three old ones can go.
  assert.deepEqual(oldReplicaSetSizes(d, [rs('old', 8, 8), rs('new', 5, 3)], [rs('old', 8, 8)], rs('new', 5, 3)), new Map([['old', 5]]));
});

test('unhealthy old replicas are removed first, oldest ReplicaSet first', () => {
  const d = rolling(10, 3, 2);
  // 10 old pods of which 3 are not available: up to maxScaledDown = 10 − 8 − 0 = 2 unhealthy go.
  assert.deepEqual(oldReplicaSetSizes(d, [rs('old', 10, 7), rs('new', 0, 0)], [rs('old', 10, 7)], rs('new', 0, 0)), new Map([['old', 8]]));
  const older = rs('a', 4, 4, 1);
  const newer = rs('b', 6, 6, 2);
  assert.deepEqual(
    oldReplicaSetSizes(d, [older, newer, rs('new', 3, 3, 3)], [older, newer], rs('new', 3, 3, 3)),
    new Map([
      ['a', 0],
      ['b', 5],
    ]),
  );
});

test('proportional scaling shares added replicas by size (the Deployment docs example: 3 to old, 2 to new)', () => {
  // 10 replicas, maxSurge 3, mid-rollout with old 8 and new 5; scaled to 15.
  const { sizes, direction } = proportionalSizes(rolling(15, 3, 2), [rs('old', 8, 8, 1, 13), rs('new', 5, 0, 2, 13)], 13);
  assert.equal(direction, 'up');
  assert.deepEqual(Object.fromEntries(sizes), { old: 11, new: 7 });
});

test('proportional scaling down takes from the larger (older on ties) and never goes negative', () => {
  const { sizes, direction } = proportionalSizes(rolling(5, 1, 0), [rs('old', 5, 5, 1, 11), rs('new', 5, 0, 2, 11)], 10);
  assert.equal(direction, 'down');
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  assert.equal(total, 6, 'replicas + maxSurge');
  assert.ok([...sizes.values()].every((n) => n >= 0));
  const zero = proportionalSizes(rolling(0), [rs('old', 3, 3, 1, 4), rs('new', 2, 0, 2, 4)], 5);
  assert.deepEqual(Object.fromEntries(zero.sizes), { old: 0, new: 0 });
});
