import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitErrorMessage } from '../../../src/scheduler/fit-error.ts';
import { scheduleOne } from '../../../src/scheduler/framework.ts';
import { preempt } from '../../../src/scheduler/preemption.ts';
import type { Snapshot } from '../../../src/scheduler/types.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { node, pod, snap } from './fixtures.ts';

const first = () => 0;

function attempt(p: KubeObject, s: Snapshot) {
  const result = scheduleOne(p, s);
  assert.equal(result.node, undefined, 'the pod must not fit without preemption');
  const outcome = preempt(result, s, { random: first });
  return { result, outcome, message: fitErrorMessage(result, outcome.message) };
}

const names = (xs: { name: string }[]) => xs.map((x) => x.name).sort();

test('evicts from the node whose most important victim has the lowest priority', () => {
  const s = snap(
    [node('a', { cpu: '2' }), node('b', { cpu: '2' })],
    [pod('low', { cpu: '1500m', priority: 0, nodeName: 'a' }), pod('mid', { cpu: '1500m', priority: 50, nodeName: 'b' })],
  );
  const { outcome, message } = attempt(pod('vip', { cpu: '1', priority: 100 }), s);
  assert.equal(outcome.nominatedNode, 'a');
  assert.deepEqual(names(outcome.victims), ['low']);
  // A successful preemption adds nothing after the filter histogram.
  assert.equal(message, '0/2 nodes are available: 2 Insufficient cpu.');
});

test('keeps as many pods as possible, the most important first', () => {
  const s = snap(
    [node('a', { cpu: '2' })],
    [
      pod('p-old', { cpu: '500m', priority: 10, nodeName: 'a', creation: '2026-01-01T00:00:00Z' }),
      pod('p-new', { cpu: '500m', priority: 10, nodeName: 'a', creation: '2026-01-01T01:00:00Z' }),
      pod('p-low', { cpu: '500m', priority: 1, nodeName: 'a' }),
      pod('p-vip', { cpu: '500m', priority: 1000, nodeName: 'a' }),
    ],
  );
  const { outcome } = attempt(pod('new', { cpu: '1', priority: 100 }), s);
  // 2000m − 2000m used; 1000m needed: p-low goes first, then the later-started of the two equals.
  assert.deepEqual(names(outcome.victims), ['p-low', 'p-new']);
});

test('no lower-priority pods, or only unresolvable failures: the preemption part says why', () => {
  const s = snap(
    [node('a', { cpu: '1' }), node('b', { cpu: '1' }), node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] })],
    [pod('peer', { cpu: '500m', priority: 100, nodeName: 'a' })],
  );
  const { outcome, message } = attempt(pod('p', { cpu: '2', priority: 100 }), s);
  assert.equal(outcome.nominatedNode, undefined);
  assert.equal(
    message,
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
  );
});

test('when evicting every lower-priority pod is still not enough, the node reports its filter failure', () => {
  const s = snap(
    [node('a', { cpu: '2' })],
    [pod('low', { cpu: '500m', priority: 0, nodeName: 'a' }), pod('high', { cpu: '1500m', priority: 500, nodeName: 'a' })],
  );
  const { message } = attempt(pod('p', { cpu: '1', priority: 100 }), s);
  assert.equal(message, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.');
});

test('preemptionPolicy Never, and a nomination whose victims are still terminating, do not preempt', () => {
  const s = snap([node('a', { cpu: '1' })], [pod('low', { cpu: '1', priority: 0, nodeName: 'a' })]);
  const never = attempt(pod('p', { cpu: '1', priority: 100, spec: { preemptionPolicy: 'Never' } }), s);
  assert.equal(never.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');

  const victim = pod('victim', { cpu: '1', priority: 0, nodeName: 'a', deleting: true });
  victim.status.conditions = [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }];
  const waiting = pod('w', { cpu: '1', priority: 100 });
  waiting.status.nominatedNodeName = 'a';
  const r = attempt(waiting, snap([node('a', { cpu: '1' })], [victim]));
  assert.equal(r.outcome.keepNomination, true);
  assert.equal(r.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.');
});

test('prefers the node whose eviction violates no PodDisruptionBudget', () => {
  const pdb = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'db', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'db' } } },
    status: { disruptionsAllowed: 0 },
  };
  const s = snap(
    [node('a', { cpu: '1' }), node('b', { cpu: '1' })],
    [pod('db-0', { cpu: '1', priority: 0, labels: { app: 'db' }, nodeName: 'a' }), pod('batch', { cpu: '1', priority: 10, nodeName: 'b' })],
    { pdbs: [pdb] },
  );
  const { outcome } = attempt(pod('p', { cpu: '1', priority: 100 }), s);
  assert.equal(outcome.nominatedNode, 'b');
});

test('anti-affinity toward a lower-priority pod is resolved by evicting it', () => {
  const s = snap([node('a')], [pod('web-low', { labels: { app: 'web' }, priority: 0, nodeName: 'a' })]);
  const p = pod('web-vip', {
    labels: { app: 'web' },
    priority: 100,
    spec: {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }],
        },
      },
    },
  });
  const { outcome } = attempt(p, s);
  assert.equal(outcome.nominatedNode, 'a');
  assert.deepEqual(names(outcome.victims), ['web-low']);
});

test('lower-priority pods nominated to the chosen node lose their nomination', () => {
  const nominee = pod('nominee', { cpu: '1', priority: 5 });
  nominee.status.nominatedNodeName = 'a';
  const s = snap([node('a', { cpu: '1' })], [pod('low', { cpu: '1', priority: 0, nodeName: 'a' }), nominee]);
  const { outcome } = attempt(pod('p', { cpu: '1', priority: 100 }), s);
  assert.equal(outcome.nominatedNode, 'a');
  assert.deepEqual(names(outcome.displacedNominations), ['nominee']);
});
