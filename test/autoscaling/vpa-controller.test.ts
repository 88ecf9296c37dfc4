import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/kube/types.ts';
import { isoTime } from '../../src/lib/clock.ts';
import { vpaController } from '../../src/autoscaling/vpa/controller.ts';
import { admitPodWithVpa } from '../../src/kube/admission/vpa/admission.ts';
import { bucketStart, CPU_HISTOGRAM, findBucket } from '../../src/autoscaling/vpa/histogram.ts';
import { autoscalingWorld, podSample } from './helpers/world.ts';

const VPA = 'verticalpodautoscalers.autoscaling.k8s.io';
const MIN = 60_000;

function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
    },
  };
}

function pod(name: string, now: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: { app: 'web', 'pod-template-hash': 'abc12' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc12', uid: 'rs-1', controller: true }],
    },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
    status: { phase: 'Running', startTime: isoTime(now - 3_600_000), conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function vpa(mode: string): KubeObject {
  return {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, updatePolicy: { updateMode: mode } },
  };
}

test('recommendation from 10 minutes of usage, eviction of a pod far below it, and the target applied to its replacement', async () => {
  const w = await autoscalingWorld();
  await w.create('deployments.apps', deployment());
  for (const n of ['web-a', 'web-b']) await w.create('pods', pod(n, w.clock.now()));
  await w.create(VPA, vpa('Auto'));
  for (let i = 0; i < 10; i++) {
    await w.scrape([podSample('web-a', 400, 300e6), podSample('web-b', 400, 300e6)]);
    await w.run(vpaController);
    w.clock.advance(MIN);
  }
  const v = (await w.get(VPA, 'default', 'web'))!;
  const [rec] = v.status.recommendation.containerRecommendations;
  const cpuTarget = Math.ceil(bucketStart(CPU_HISTOGRAM, findBucket(CPU_HISTOGRAM, 0.4) + 1) * 1000 * 1.15);
  assert.equal(rec.containerName, 'app');
  assert.equal(rec.target.cpu, `${cpuTarget}m`);
  assert.deepEqual(rec.uncappedTarget, rec.target);
  assert.ok(Number(rec.upperBound.cpu.replace('m', '')) > cpuTarget);
  assert.deepEqual(
    v.status.conditions.map((c: any) => [c.type, c.status]),
    [['RecommendationProvided', 'True']],
  );

  // Requests of 100m are below the lower bound: the updater evicted one of the two pods (tolerance 0.5).
  const pods = await w.list('pods');
  const evicted = pods.filter((p) => p.metadata.deletionTimestamp);
  assert.equal(evicted.length, 1);
  assert.deepEqual(await w.events(evicted[0].metadata.name!), ['Normal EvictedByVPA: Pod was evicted by VPA Updater to apply resource recommendation.']);
  assert.ok((await w.events('web')).includes(`Normal EvictedPod: VPA Updater evicted Pod ${evicted[0].metadata.name} to apply resource recommendation.`));

  const replacement = pod('web-c', w.clock.now());
  await admitPodWithVpa(w.store, w.clusterId, replacement);
  assert.equal(replacement.spec.containers[0].resources.requests.cpu, `${cpuTarget}m`);
  assert.match(replacement.metadata.annotations!.vpaUpdates, /^Pod resources updated by web: container 0: cpu request, memory request$/);
});

test('Off mode recommends without evicting; a missing target and pods that match nothing show in the conditions', async () => {
  const w = await autoscalingWorld();
  await w.create(VPA, vpa('Off'));
  await w.run(vpaController);
  let v = (await w.get(VPA, 'default', 'web'))!;
  const unsupported = v.status.conditions.find((c: any) => c.type === 'ConfigUnsupported');
  assert.equal(unsupported.status, 'True');
  assert.match(unsupported.message, /^Cannot read targetRef/);

  await w.create('deployments.apps', deployment());
  w.clock.advance(MIN);
  await w.run(vpaController);
  v = (await w.get(VPA, 'default', 'web'))!;
  assert.deepEqual(v.status.conditions.map((c: any) => [c.type, c.status, c.reason ?? '']).sort(), [
    ['NoPodsMatched', 'True', 'NoPodsMatched'],
    ['RecommendationProvided', 'False', 'NoPodsMatched'],
  ]);

  for (const n of ['web-a', 'web-b']) await w.create('pods', pod(n, w.clock.now()));
  for (let i = 0; i < 3; i++) {
    w.clock.advance(MIN);
    await w.scrape([podSample('web-a', 400), podSample('web-b', 400)]);
    await w.run(vpaController);
  }
  v = (await w.get(VPA, 'default', 'web'))!;
  assert.ok(v.status.recommendation);
  assert.equal((await w.list('pods')).filter((p) => p.metadata.deletionTimestamp).length, 0);
  // Once a minute: another pass right away changes nothing.
  const rv = v.metadata.resourceVersion;
  await w.run(vpaController);
  assert.equal((await w.get(VPA, 'default', 'web'))!.metadata.resourceVersion, rv);
});
