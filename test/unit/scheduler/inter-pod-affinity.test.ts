import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interPodAffinityFilter } from '../../../src/scheduler/plugins/inter-pod-affinity-filter.ts';
import { interPodAffinityScore } from '../../../src/scheduler/plugins/inter-pod-affinity-score.ts';
import { node, pod, runFilter, runScore, snap } from './fixtures.ts';

const nodes = () => [node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z1' } }), node('c', { labels: { zone: 'z2' } }), node('bare')];
const term = (app: string, topologyKey: string) => ({ labelSelector: { matchLabels: { app } }, topologyKey });
const AFFINITY = { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match pod affinity rules"] };

test("required affinity: a matching pod must run in the node's domain", () => {
  const s = snap(nodes(), [pod('db', { labels: { app: 'db' }, nodeName: 'a' })]);
  const p = pod('p', { spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', 'zone')] } } } });
  assert.equal(runFilter(interPodAffinityFilter, p, 'a', s), null);
  assert.equal(runFilter(interPodAffinityFilter, p, 'b', s), null);
  assert.deepEqual(runFilter(interPodAffinityFilter, p, 'c', s), AFFINITY);
  assert.deepEqual(runFilter(interPodAffinityFilter, p, 'bare', s), AFFINITY);
});

test('required affinity: the first pod of a self-affine group may go to any node with the topology key', () => {
  const s = snap(nodes(), []);
  const p = pod('p', {
    labels: { app: 'cache' },
    spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache', 'zone')] } } },
  });
  assert.equal(runFilter(interPodAffinityFilter, p, 'c', s), null);
  assert.deepEqual(runFilter(interPodAffinityFilter, p, 'bare', s), AFFINITY);
  const other = pod('q', {
    labels: { app: 'web' },
    spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache', 'zone')] } } },
  });
  assert.deepEqual(runFilter(interPodAffinityFilter, other, 'c', s), AFFINITY);
});

test('required anti-affinity: no matching pod may run in the domain (resolvable by preemption)', () => {
  const s = snap(nodes(), [pod('web-1', { labels: { app: 'web' }, nodeName: 'a' })]);
  const p = pod('web-2', {
    labels: { app: 'web' },
    spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', 'kubernetes.io/hostname')] } } },
  });
  assert.deepEqual(runFilter(interPodAffinityFilter, p, 'a', s), { code: 'Unschedulable', reasons: ["node(s) didn't match pod anti-affinity rules"] });
  assert.equal(runFilter(interPodAffinityFilter, p, 'b', s), null);
});

test("existing pods' anti-affinity keeps the incoming pod out of their domain", () => {
  const guard = pod('guard', {
    nodeName: 'c',
    spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', 'zone')] } } },
  });
  const s = snap(nodes(), [guard]);
  assert.deepEqual(runFilter(interPodAffinityFilter, pod('w', { labels: { app: 'web' } }), 'c', s), {
    code: 'Unschedulable',
    reasons: ["node(s) didn't satisfy existing pods anti-affinity rules"],
  });
  assert.equal(runFilter(interPodAffinityFilter, pod('w', { labels: { app: 'web' } }), 'a', s), null);
  assert.equal(runFilter(interPodAffinityFilter, pod('x', { labels: { app: 'api' } }), 'c', s), 'skip');
});

test("terms look in the pod's namespace unless namespaces or a namespaceSelector say otherwise", () => {
  const s = snap(nodes(), [pod('db', { labels: { app: 'db' }, nodeName: 'a', ns: 'data' })], {
    namespaces: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'data', labels: { team: 'storage' } } }],
  });
  const mk = (t: Record<string, unknown>) =>
    pod('p', { spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...term('db', 'zone'), ...t }] } } } });
  assert.deepEqual(runFilter(interPodAffinityFilter, mk({}), 'a', s), AFFINITY);
  assert.equal(runFilter(interPodAffinityFilter, mk({ namespaces: ['data'] }), 'a', s), null);
  assert.equal(runFilter(interPodAffinityFilter, mk({ namespaceSelector: { matchLabels: { team: 'storage' } } }), 'a', s), null);
});

test('score: preferred terms both ways plus existing required affinity (weight 1), min–max normalised', () => {
  const s = snap(nodes().slice(0, 3), [
    pod('db', { labels: { app: 'db' }, nodeName: 'a' }),
    pod('web', { labels: { app: 'web' }, nodeName: 'b' }),
    pod('fan', { nodeName: 'c', spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', 'zone')] } } } }),
  ]);
  const p = pod('p', {
    labels: { app: 'web' },
    spec: {
      affinity: {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('db', 'zone') }] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term('web', 'kubernetes.io/hostname') }] },
      },
    },
  });
  const r = runScore(interPodAffinityScore, p, s);
  // a: +10 (db in z1); b: +10 − 5 (web on b); c: +1 (fan requires web in z2).
  assert.deepEqual(r.raw, { a: 10, b: 5, c: 1 });
  assert.deepEqual(r.normalized, { a: 100, b: 44, c: 0 });
  assert.equal(runScore(interPodAffinityScore, pod('q'), snap(nodes(), [])).skipped, true);
});
