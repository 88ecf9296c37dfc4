import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findUntoleratedTaint, isHardTaint, toleratesTaint, type Taint } from '../../../src/kube/tolerations.ts';

/** core/v1 Toleration.ToleratesTaint, as the scheduler, the DaemonSet controller and taint eviction all read it. */
const gpu: Taint = { key: 'gpu', value: 'a100', effect: 'NoSchedule' };

test('Equal (the default) compares key and value; Exists only the key', () => {
  assert.equal(toleratesTaint({ key: 'gpu', value: 'a100' }, gpu), true);
  assert.equal(toleratesTaint({ key: 'gpu', operator: 'Equal', value: 'h100' }, gpu), false);
  assert.equal(toleratesTaint({ key: 'gpu', operator: 'Exists' }, gpu), true);
  assert.equal(toleratesTaint({ key: 'tpu', operator: 'Exists' }, gpu), false);
});

test('an empty effect matches every effect, a set one only its own', () => {
  assert.equal(toleratesTaint({ key: 'gpu', operator: 'Exists' }, { ...gpu, effect: 'NoExecute' }), true);
  assert.equal(toleratesTaint({ key: 'gpu', operator: 'Exists', effect: 'NoExecute' }, gpu), false);
});

test('an empty key tolerates every taint only with Exists; an unknown operator tolerates nothing', () => {
  assert.equal(toleratesTaint({ operator: 'Exists' }, gpu), true);
  assert.equal(toleratesTaint({ value: 'a100' }, gpu), false);
  assert.equal(toleratesTaint({ key: 'gpu', operator: 'Lt', value: 'a100' }, gpu), false);
});

test('the first untolerated relevant taint, in node order', () => {
  const taints: Taint[] = [{ key: 'soft', effect: 'PreferNoSchedule' }, gpu, { key: 'x', effect: 'NoExecute' }];
  assert.equal(findUntoleratedTaint(taints, [], isHardTaint), gpu);
  assert.equal(findUntoleratedTaint(taints, [{ key: 'gpu', operator: 'Exists' }], isHardTaint)?.key, 'x');
  assert.equal(findUntoleratedTaint(taints, [{ operator: 'Exists' }], isHardTaint), undefined);
});
