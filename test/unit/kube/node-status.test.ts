import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeStatus } from '../../../src/kube/tables/core.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const node = (ready: string | undefined, unschedulable = false): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n' },
  spec: unschedulable ? { unschedulable: true } : {},
  status: {
    conditions: ready
      ? [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'Ready', status: ready },
        ]
      : [],
  },
});

test('node STATUS reads like kubectl on a real cluster', () => {
  assert.equal(nodeStatus(node('True')), 'Ready');
  assert.equal(nodeStatus(node('False')), 'NotReady');
  assert.equal(nodeStatus(node('Unknown')), 'NotReady', 'a node that stopped posting status is NotReady');
  assert.equal(nodeStatus(node(undefined)), 'Unknown', 'no Ready condition at all');
  assert.equal(nodeStatus(node('True', true)), 'Ready,SchedulingDisabled');
  assert.equal(nodeStatus(node('Unknown', true)), 'NotReady,SchedulingDisabled');
  assert.equal(nodeStatus(node(undefined, true)), 'Unknown,SchedulingDisabled');
});
