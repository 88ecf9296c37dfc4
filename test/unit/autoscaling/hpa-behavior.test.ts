import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  emptyMemory,
  normalizeWithBehavior,
  normalizeWithoutBehavior,
  recordScaleEvent,
  scaleDownLimit,
  scaleUpLimit,
  type HpaMemory,
} from '../../../src/autoscaling/hpa/behavior.ts';
import { effectiveBehavior } from '../../../src/autoscaling/hpa/spec.ts';

const S = 1000;

/** Runs the HPA's normalization the way successive syncs would, recording rescales. */
function step(memory: HpaMemory, behaviorSpec: any, current: number, recommendation: number, min: number, max: number, now: number) {
  const behavior = effectiveBehavior(behaviorSpec);
  const out = normalizeWithBehavior(memory, behavior, current, recommendation, min, max, now);
  if (out.desired !== current) recordScaleEvent(memory, behavior, current, out.desired, now);
  return out;
}

test('defaults: scale up by max(100%, 4 pods) per 15 s, scale down 300 s stabilization and 100% per 15 s', () => {
  const b = effectiveBehavior({});
  assert.deepEqual(b.scaleUp, {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  });
  assert.deepEqual(b.scaleDown, { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  assert.equal(scaleUpLimit(2, [], b.scaleUp, 0), 6);
  assert.equal(scaleUpLimit(10, [], b.scaleUp, 0), 20);
  assert.equal(scaleDownLimit(10, [], b.scaleDown, 0), 0);
});

test('docs: scale-down policies Pods 4 and Percent 10 per 60 s take the bigger change, recomputed each period', () => {
  const spec = {
    scaleDown: {
      stabilizationWindowSeconds: 0,
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 60 },
        { type: 'Percent', value: 10, periodSeconds: 60 },
      ],
    },
  };
  const mem = emptyMemory();
  let r = step(mem, spec, 80, 10, 1, 100, 0);
  assert.equal(r.desired, 72, '10% of 80 = 8 beats 4 pods');
  assert.deepEqual([r.scalingLimited.status, r.scalingLimited.reason], ['True', 'ScaleDownLimit']);
  // Within the same period nothing more may go.
  assert.equal(step(mem, spec, 72, 10, 1, 100, 30 * S).desired, 72);
  // Next period: 10% of 72 = 7.2, i.e. down to floor(64.8) = 64.
  assert.equal(step(mem, spec, 72, 10, 1, 100, 61 * S).desired, 64);
  // Below 40 replicas 4 pods is the bigger change: from 30, Percent allows 27, Pods 26.
  assert.equal(step(emptyMemory(), spec, 30, 10, 1, 100, 0).desired, 26);
});

test('docs: a Percent 900 scale-up policy grows 1 → 10 → 100 → 1000, one step per period', () => {
  const spec = { scaleUp: { policies: [{ type: 'Percent', value: 900, periodSeconds: 60 }] } };
  const mem = emptyMemory();
  let current = 1;
  const seen: number[] = [];
  for (let i = 0; i < 3; i++) {
    current = step(mem, spec, current, 1000, 1, 1000, i * 61 * S).desired;
    seen.push(current);
  }
  assert.deepEqual(seen, [10, 100, 1000]);
});

test('selectPolicy Min takes the smaller change; Disabled stops that direction', () => {
  const spec = {
    scaleUp: {
      selectPolicy: 'Min',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    },
  };
  assert.equal(step(emptyMemory(), spec, 10, 50, 1, 100, 0).desired, 14);
  const off = { scaleDown: { selectPolicy: 'Disabled', stabilizationWindowSeconds: 0 } };
  const r = step(emptyMemory(), off, 10, 2, 1, 100, 0);
  assert.equal(r.desired, 10);
  assert.equal(r.scalingLimited.reason, 'ScaleDownLimit');
});

test('docs: the scale-down stabilization window applies the highest recommendation of the last 300 s', () => {
  const mem = emptyMemory();
  const spec = {};
  // Recommendations 8, 6, 4 within five minutes: the HPA stays at 8 until the 8 is older than 300 s.
  assert.equal(step(mem, spec, 8, 8, 1, 10, 0).desired, 8);
  let r = step(mem, spec, 8, 6, 1, 10, 100 * S);
  assert.deepEqual([r.desired, r.ableToScale.reason], [8, 'ScaleDownStabilized']);
  r = step(mem, spec, 8, 4, 1, 10, 200 * S);
  assert.equal(r.desired, 8);
  r = step(mem, spec, 8, 4, 1, 10, 301 * S);
  assert.equal(r.desired, 6, 'the 8 left the window; 6 (at 100 s) is still in it');
  r = step(mem, spec, 6, 4, 1, 10, 401 * S);
  assert.equal(r.desired, 4);
});

test('a scale-up stabilization window applies the lowest recommendation of the window', () => {
  const mem = emptyMemory();
  const spec = { scaleUp: { stabilizationWindowSeconds: 60 } };
  step(mem, spec, 2, 2, 1, 10, 0);
  const r = step(mem, spec, 2, 6, 1, 10, 30 * S);
  assert.deepEqual([r.desired, r.ableToScale.reason], [2, 'ScaleUpStabilized']);
  assert.equal(step(mem, spec, 2, 6, 1, 10, 61 * S).desired, 6);
});

test('bounds: TooManyReplicas and TooFewReplicas beat the rate when they are tighter', () => {
  const mem = emptyMemory();
  let r = step(mem, { scaleDown: { stabilizationWindowSeconds: 0 } }, 5, 20, 2, 8, 0);
  assert.deepEqual([r.desired, r.scalingLimited.reason], [8, 'TooManyReplicas']);
  r = step(emptyMemory(), { scaleDown: { stabilizationWindowSeconds: 0 } }, 5, 1, 2, 8, 0);
  assert.deepEqual(
    [r.desired, r.scalingLimited.reason, r.scalingLimited.message],
    [2, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'],
  );
  r = step(emptyMemory(), {}, 5, 5, 2, 8, 0);
  assert.deepEqual([r.scalingLimited.status, r.scalingLimited.reason], ['False', 'DesiredWithinRange']);
});

test('without spec.behavior: scale-up capped at max(2 × current, 4), the 5 min downscale window, min/max', () => {
  const W = 300 * S;
  let r = normalizeWithoutBehavior(emptyMemory(), 1, 7, 1, 10, 0, W);
  assert.deepEqual([r.desired, r.scalingLimited.reason], [4, 'ScaleUpLimit']);
  r = normalizeWithoutBehavior(emptyMemory(), 4, 7, 1, 10, 0, W);
  assert.equal(r.desired, 7);
  r = normalizeWithoutBehavior(emptyMemory(), 3, 10, 1, 5, 0, W);
  assert.deepEqual([r.desired, r.scalingLimited.reason], [5, 'TooManyReplicas']);
  const mem: HpaMemory = { ...emptyMemory(), recommendations: [{ at: 0, replicas: 6 }] };
  r = normalizeWithoutBehavior(mem, 6, 2, 1, 10, 120 * S, W);
  assert.deepEqual([r.desired, r.ableToScale.reason], [6, 'ScaleDownStabilized']);
  r = normalizeWithoutBehavior(mem, 6, 2, 1, 10, 301 * S, W);
  assert.equal(r.desired, 2, 'the old recommendation left the window; the one at 120 s says 2');
});
