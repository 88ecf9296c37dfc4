import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetStatus, disruptedPods, DELETION_TIMEOUT_MS } from '../../../src/controllers/disruption/status.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const pod = (name: string, deleting = false): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(deleting ? { deletionTimestamp: iso(NOW) } : {}) },
});

test('an eviction is remembered until the pod is deleting, and dropped as overdue after 2 minutes', () => {
  const recorded = { fresh: iso(NOW - 30_000), old: iso(NOW - DELETION_TIMEOUT_MS - 1), going: iso(NOW - 1_000), gone: iso(NOW - 1_000) };
  const out = disruptedPods(recorded, [pod('fresh'), pod('old'), pod('going', true), pod('unrelated')], NOW);
  assert.deepEqual(out.kept, { fresh: recorded.fresh }, 'deleting and vanished pods leave the map');
  assert.deepEqual(
    out.overdue.map((p) => p.metadata.name),
    ['old'],
  );
  assert.equal(out.recheckAtMs, NOW - 30_000 + DELETION_TIMEOUT_MS);
  assert.deepEqual(disruptedPods(undefined, [pod('a')], NOW), { kept: {}, overdue: [] });
});

const pdb = (status?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'b', generation: 3 },
  spec: { minAvailable: 2 },
  ...(status ? { status } : {}),
});
const state = (healthy: number, desired: number, expected: number) => ({
  currentHealthy: healthy,
  desiredHealthy: desired,
  disruptionsAllowed: Math.max(0, healthy - desired),
  expectedPods: expected,
  pods: [],
});

test('status carries the arithmetic, the generation seen and DisruptionAllowed with upstream reasons', () => {
  const sufficient = budgetStatus(pdb(), state(3, 2, 3), {}, NOW);
  assert.deepEqual(sufficient, {
    observedGeneration: 3,
    disruptionsAllowed: 1,
    currentHealthy: 3,
    desiredHealthy: 2,
    expectedPods: 3,
    conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 3, lastTransitionTime: iso(NOW) }],
  });
  const later = NOW + 60_000;
  const insufficient = budgetStatus(pdb(sufficient), state(2, 2, 3), { p: iso(NOW) }, later);
  assert.equal(insufficient.disruptionsAllowed, 0);
  assert.deepEqual(insufficient.disruptedPods, { p: iso(NOW) });
  assert.deepEqual(insufficient.conditions, [
    { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: 3, lastTransitionTime: iso(later) },
  ]);
  const steady = budgetStatus(pdb(insufficient), state(1, 2, 3), {}, later + 60_000);
  assert.equal((steady.conditions as { lastTransitionTime: string }[])[0].lastTransitionTime, iso(later), 'the transition time stays while the status holds');
  assert.equal('disruptedPods' in steady, false);
});
