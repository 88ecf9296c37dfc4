import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types.ts';
import { isoTime } from '../../../src/lib/clock.ts';
import { applyVpaToPod } from '../../../src/kube/admission/vpa/admission.ts';
import { podsToEvict } from '../../../src/autoscaling/vpa/updater.ts';

const NOW = Date.parse('2026-01-02T00:00:00Z');

function vpa(mode: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, updatePolicy: { updateMode: mode }, ...extra },
    status: {
      recommendation: {
        containerRecommendations: [
          {
            containerName: 'app',
            target: { cpu: '300m', memory: '512Mi' },
            lowerBound: { cpu: '200m', memory: '256Mi' },
            upperBound: { cpu: '600m', memory: '1Gi' },
            uncappedTarget: { cpu: '300m', memory: '512Mi' },
          },
        ],
      },
    },
  };
}

function pod(name: string, o: { rs?: string; cpu?: string; memory?: string; startedAgo?: number; phase?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: { app: 'web', 'pod-template-hash': '5d4f8' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.rs ?? 'web-5d4f8', uid: 'rs', controller: true }],
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx',
          resources: { requests: { cpu: o.cpu ?? '100m', memory: o.memory ?? '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
        },
      ],
    },
    status: { phase: o.phase ?? 'Running', startTime: isoTime(NOW - (o.startedAgo ?? 60_000)) },
  };
}

test('admission sets requests to the target and scales limits in proportion, with upstream annotations', () => {
  const r = applyVpaToPod(pod('web-a'), [vpa('Initial')]);
  const c = r.pod.spec.containers[0];
  assert.deepEqual(c.resources, { requests: { cpu: '300m', memory: '536870912' }, limits: { cpu: '600m', memory: '1073741824' } });
  assert.equal(r.pod.metadata.annotations!.vpaUpdates, 'Pod resources updated by web: container 0: cpu request, cpu limit, memory request, memory limit');
  assert.equal(r.pod.metadata.annotations!.vpaObservedContainers, 'app');
  const requestsOnly = applyVpaToPod(pod('web-a'), [
    vpa('Auto', { resourcePolicy: { containerPolicies: [{ containerName: '*', controlledValues: 'RequestsOnly' }] } }),
  ]);
  assert.deepEqual(requestsOnly.pod.spec.containers[0].resources.limits, { cpu: '200m', memory: '256Mi' });
});

test('admission leaves pods of other workloads, and VPAs in Off mode, alone', () => {
  const other = pod('api-a', { rs: 'api-5d4f8' });
  assert.equal(applyVpaToPod(other, [vpa('Auto')]).pod, other);
  const p = pod('web-a');
  assert.equal(applyVpaToPod(p, [vpa('Off')]).pod, p);
  const noRec = { ...vpa('Auto'), status: {} };
  const r = applyVpaToPod(p, [noRec]);
  assert.deepEqual(r.updates, []);
  assert.equal(r.pod.spec.containers[0].resources.requests.cpu, '100m');
});

test('updater: pods outside the bounds go, half of the replicas at most, never below minReplicas alive', () => {
  const pods = [pod('a'), pod('b'), pod('c'), pod('d')];
  const out = podsToEvict(vpa('Recreate'), pods, 4, NOW);
  assert.equal(out.length, 2, 'eviction tolerance 0.5 of 4 replicas');
  assert.ok(out.every((c) => c.outsideBounds));
  assert.equal(podsToEvict(vpa('Recreate'), [pod('a')], 1, NOW).length, 0, 'fewer than 2 live pods');
  assert.equal(podsToEvict(vpa('Initial'), pods, 4, NOW).length, 0);
  assert.equal(podsToEvict(vpa('Off'), pods, 4, NOW).length, 0);
  // One of three is already being replaced: the tolerance (one pod) is used up.
  const busy = [pod('a'), pod('b', { phase: 'Pending' }), pod('c')];
  assert.equal(podsToEvict(vpa('Auto'), busy, 3, NOW).length, 0);
});

test('updater: inside the bounds a pod is replaced only after 12 h and a 10 % difference', () => {
  const young = pod('a', { cpu: '250m', memory: '400Mi' });
  const old = pod('b', { cpu: '250m', memory: '400Mi', startedAgo: 13 * 3_600_000 });
  // cpu 50/250 + memory 112/400 = 0.48 for b; 10/290 + 12/500 < 0.1 for c.
  const close = pod('c', { cpu: '290m', memory: '500Mi', startedAgo: 13 * 3_600_000 });
  const out = podsToEvict(vpa('Recreate'), [young, old, close], 3, NOW);
  assert.deepEqual(
    out.map((c) => c.pod.metadata.name),
    ['b'],
  );
});
