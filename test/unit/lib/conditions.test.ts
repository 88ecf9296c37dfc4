import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replaceCondition, setCondition, transitioned, upsertCondition, type Condition } from '../../../src/lib/conditions.ts';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:05:00Z';
const ready = (status: Condition['status'], reason: string, message: string, at: string): Condition => ({
  type: 'Ready',
  status,
  reason,
  message,
  lastTransitionTime: at,
});
const other: Condition = { type: 'Other', status: 'True', lastTransitionTime: T0 };

test('lastTransitionTime moves only when the status does', () => {
  assert.equal(transitioned(ready('True', 'A', 'a', T0), ready('True', 'B', 'b', T1)).lastTransitionTime, T0);
  assert.equal(transitioned(ready('True', 'A', 'a', T0), ready('False', 'A', 'a', T1)).lastTransitionTime, T1);
  assert.equal(transitioned(undefined, ready('True', 'A', 'a', T1)).lastTransitionTime, T1);
});

test('replaceCondition keeps the place of the condition it replaces and appends a new type', () => {
  const list = [ready('True', 'A', 'a', T0), other];
  const replaced = replaceCondition(list, ready('True', 'B', 'b', T1));
  assert.deepEqual(replaced, [ready('True', 'B', 'b', T0), other]);
  assert.deepEqual(list[0], ready('True', 'A', 'a', T0), 'the input is not changed');
  assert.deepEqual(replaceCondition([other], ready('False', 'A', 'a', T1)), [other, ready('False', 'A', 'a', T1)]);
  assert.deepEqual(replaceCondition(undefined, other), [other]);
});

test('setCondition ignores a new message, moves a changed condition last and keeps its transition time on the same status', () => {
  const list = [ready('True', 'A', 'a', T0), other];
  assert.equal(setCondition(list, ready('True', 'A', 'other message', T1)), list);
  assert.deepEqual(setCondition(list, ready('True', 'B', 'b', T1)), [other, ready('True', 'B', 'b', T0)]);
  assert.deepEqual(setCondition(list, ready('False', 'B', 'b', T1)), [other, ready('False', 'B', 'b', T1)]);
});

test('upsertCondition also takes a new message, still keeping the transition time', () => {
  const list = [ready('True', 'A', 'a', T0), other];
  assert.equal(upsertCondition(list, ready('True', 'A', 'a', T1)), list);
  assert.deepEqual(upsertCondition(list, ready('True', 'A', 'new', T1)), [other, ready('True', 'A', 'new', T0)]);
});
