import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot, computePodInfo } from '../../../src/scheduler/index.ts';
import { dropStaleBackoffs, isBackedOff, nextBackoff, type GroupBackoff } from '../../../src/autoscaling/cluster-autoscaler/backoff.ts';
import { faultedCount } from '../../../src/autoscaling/cluster-autoscaler/cloud-faults.ts';
import {
  filterByPriority,
  groupPriority,
  parsePriorities,
  priorityConfigFrom,
  type PriorityWarning,
} from '../../../src/autoscaling/cluster-autoscaler/priority-expander.ts';
import { goDuration } from '../../../src/autoscaling/cluster-autoscaler/scale-up-failures.ts';
import { notTriggeredMessage, planScaleUp } from '../../../src/autoscaling/cluster-autoscaler/scale-up.ts';
import { backoffPolicy, DEFAULT_SETTINGS, expanderChain } from '../../../src/autoscaling/cluster-autoscaler/settings.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { groups, node, pod, pool } from './ca-fixtures.ts';

const MIN = 60_000;
const policy = backoffPolicy(DEFAULT_SETTINGS);
const err = { errorClass: 'OutOfResource' as const, errorCode: 'QUOTA_EXCEEDED', errorMessage: 'quota' };

test('back-off: 5 min, doubling after each back-off ends, capped at 30 min; failures during a back-off do not grow it', () => {
  let b: GroupBackoff | undefined;
  let now = 0;
  const durations: number[] = [];
  for (let i = 0; i < 6; i++) {
    b = nextBackoff(b, err, now, policy);
    durations.push(b.durationMs / MIN);
    assert.ok(isBackedOff(b, now));
    assert.ok(!isBackedOff(b, b.until), 'over at its end');
    now = b.until + 1;
  }
  assert.deepEqual(durations, [5, 10, 20, 30, 30, 30]);

  const first = nextBackoff(undefined, err, 0, policy);
  const again = nextBackoff(first, err, 2 * MIN, policy);
  assert.equal(again.durationMs, 5 * MIN, 'a second failure while backed off renews the window');
  assert.equal(again.until, 7 * MIN);
});

test('back-off data is forgotten 3 h after the last failure, so the next failure starts at 5 min again', () => {
  const backoffs: Record<string, GroupBackoff> = { a: nextBackoff(nextBackoff(undefined, err, 0, policy), err, 6 * MIN, policy) };
  assert.equal(backoffs.a.durationMs, 10 * MIN);
  dropStaleBackoffs(backoffs, 6 * MIN + 3 * 60 * MIN, policy);
  assert.ok(backoffs.a, 'exactly 3 h is not yet stale');
  dropStaleBackoffs(backoffs, 6 * MIN + 3 * 60 * MIN + 1, policy);
  assert.deepEqual(backoffs, {});
  assert.equal(nextBackoff(backoffs.a, err, 200 * MIN, policy).durationMs, 5 * MIN);
});

test('Go durations as upstream prints them in timeout messages', () => {
  assert.equal(goDuration(15 * MIN + 10_000), '15m10s');
  assert.equal(goDuration(60 * MIN), '1h0m0s');
  assert.equal(goDuration(10_500), '10.5s');
});

test('cloud faults hit the nodes beyond the pool capacity, or every new node without one', () => {
  assert.equal(faultedCount(undefined, 1, 3), 0);
  assert.equal(faultedCount({ nodePool: 'a', fault: 'out-of-capacity' }, 1, 3), 3);
  assert.equal(faultedCount({ nodePool: 'a', fault: 'out-of-capacity', capacity: 3 }, 1, 3), 1);
  assert.equal(faultedCount({ nodePool: 'a', fault: 'out-of-capacity', capacity: 10 }, 1, 3), 0);
});

test('priorities: integer keys to lists of regexes, highest first; Go-style errors for bad input', () => {
  const levels = parsePriorities('10:\n  - .*t2\\.large.*\n  - .*t3\\.large.*\n50:\n  - .*m4\\.4xlarge.*\n');
  assert.ok(Array.isArray(levels));
  assert.deepEqual(
    levels.map((l) => [l.priority, l.patterns.length]),
    [
      [50, 1],
      [10, 2],
    ],
  );
  assert.equal(groupPriority('ng-m4.4xlarge-spot', levels), 50);
  assert.equal(groupPriority('ng-t3.large', levels), 10);
  assert.equal(groupPriority('ng-c5', levels), undefined);

  assert.match((parsePriorities('') as { error: string }).error, /is empty/);
  assert.match((parsePriorities('"10":\n  - a\n') as { error: string }).error, /priority 10 is not an integer/);
  assert.match((parsePriorities('10: a.*\n') as { error: string }).error, /must be a list/);
  assert.match((parsePriorities('10:\n  - "a("\n') as { error: string }).error, /Can't compile regexp rule for priority 10 and rule a\(/);
  assert.match((parsePriorities('10: [a\n') as { error: string }).error, /Can't parse YAML/);
});

test('the priority ConfigMap: missing, without the key, or unparsable all leave the options to the next expander', () => {
  const names = ['spot', 'ondemand'];
  const cm = (data?: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cluster-autoscaler-priority-expander', namespace: 'kube-system' },
    ...(data ? { data } : {}),
  });
  for (const [config, reason] of [
    [priorityConfigFrom(undefined), 'PriorityConfigMapMissing'],
    [priorityConfigFrom(cm({ priority: '10: [spot]' })), 'PriorityConfigMapInvalid'],
    [priorityConfigFrom(cm({ priorities: '10: spot' })), 'PriorityConfigMapInvalid'],
  ] as const) {
    const warnings: PriorityWarning[] = [];
    assert.deepEqual(
      filterByPriority(names, (n) => n, config, warnings),
      names,
    );
    assert.deepEqual(
      warnings.map((w) => w.reason),
      [reason],
    );
  }

  const warnings: PriorityWarning[] = [];
  const ok = priorityConfigFrom(cm({ priorities: '50:\n  - spot\n10:\n  - .*\n' }));
  assert.deepEqual(
    filterByPriority([...names, 'spot-2'], (n) => n, ok, warnings),
    ['spot', 'spot-2'],
    'both spot groups tie at 50',
  );
  assert.equal(warnings.length, 0);

  const none = priorityConfigFrom(cm({ priorities: '50:\n  - gpu\n' }));
  assert.deepEqual(
    filterByPriority(names, (n) => n, none, warnings),
    names,
  );
  assert.deepEqual(
    warnings.map((w) => w.reason),
    ['PriorityConfigMapNotMatchedGroup', 'PriorityConfigMapNotMatchedGroup', 'PriorityConfigMapNoGroupMatched'],
  );

  warnings.length = 0;
  const some = priorityConfigFrom(cm({ priorities: '50:\n  - spot\n' }));
  assert.deepEqual(
    filterByPriority(names, (n) => n, some, warnings),
    ['spot'],
  );
  assert.deepEqual(
    warnings.map((w) => w.message),
    ["Priority expander: node group ondemand not found in priority expander configuration. The group won't be used."],
  );
});

function plan(pools: ReturnType<typeof pool>[], o: { expander: string; priorities?: string; backedOff?: string[] }) {
  const n0 = node(pools[0], 0);
  const filler = pod('filler', { cpu: '1900m', node: n0.metadata.name });
  const pending = [pod('web-0', { cpu: '500m' })];
  const config = priorityConfigFrom(
    o.priorities === undefined ? undefined : { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { priorities: o.priorities } },
  );
  return planScaleUp({
    snapshot: buildSnapshot({ nodes: [n0], pods: [filler, ...pending] }),
    pending: pending.map((p) => computePodInfo(p)),
    groups: groups(pools),
    upcoming: new Map(),
    clusterRoom: Infinity,
    expanders: expanderChain(o.expander),
    filters: { priority: (options) => filterByPriority(options, (x) => x.group.name, config, []) },
    backedOff: new Set(o.backedOff ?? []),
    random: () => 0,
  });
}

test('priority,least-waste: the priority picks the group even when least-waste prefers another; ties go on down the chain', () => {
  const small = pool('a-small');
  const big = pool('b-big', { instanceType: 'm5.xlarge' });
  assert.equal(plan([small, big], { expander: 'least-waste' }).decision?.group.name, 'a-small', 'least-waste alone keeps the small node');
  assert.equal(plan([small, big], { expander: 'priority,least-waste', priorities: '20:\n  - ^b-\n10:\n  - .*\n' }).decision?.group.name, 'b-big');
  assert.equal(
    plan([small, big], { expander: 'priority,least-waste', priorities: '10:\n  - .*\n' }).decision?.group.name,
    'a-small',
    'a tie at 10 is settled by least-waste',
  );
  assert.equal(plan([small, big], { expander: 'priority,least-waste' }).decision?.group.name, 'a-small', 'no ConfigMap: least-waste decides');
});

test('a backed-off group is skipped with its reason, and another group takes the scale-up', () => {
  const spot = pool('spot');
  const ondemand = pool('ondemand');
  const r = plan([spot, ondemand], { expander: 'priority', priorities: '50:\n  - spot\n10:\n  - ondemand\n', backedOff: ['spot'] });
  assert.equal(r.decision?.group.name, 'ondemand');
  const alone = plan([spot], { expander: 'least-waste', backedOff: ['spot'] });
  assert.equal(alone.decision, undefined);
  assert.equal(notTriggeredMessage(alone.pods[0]), "pod didn't trigger scale-up: 1 in backoff after failed scale-up");
});
