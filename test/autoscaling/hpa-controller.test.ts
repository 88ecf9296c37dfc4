import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/kube/types.ts';
import { isoTime } from '../../src/lib/clock.ts';
import { hpaController } from '../../src/autoscaling/hpa/controller.ts';
import { autoscalingWorld, podSample } from './helpers/world.ts';

const HPA = 'horizontalpodautoscalers.autoscaling';

function deployment(replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '500m' } } }] } },
    },
  };
}

function runningPod(name: string, startedAt: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '500m' } } }] },
    status: {
      phase: 'Running',
      startTime: isoTime(startedAt),
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: isoTime(startedAt + 5_000) }],
    },
  };
}

function hpa(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      ...extra,
    },
  };
}

test('two pods at 100% of their CPU request against 50%: the Deployment goes to 4, with status, conditions and event', async () => {
  const w = await autoscalingWorld();
  await w.create('deployments.apps', deployment(2));
  const start = w.clock.now() - 3_600_000;
  for (const name of ['web-a', 'web-b']) await w.create('pods', runningPod(name, start));
  await w.scrape([podSample('web-a', 500), podSample('web-b', 500)]);
  await w.create(HPA, hpa());

  const r = await w.run(hpaController);
  assert.equal(r.requeueAfterMs, 15_000);
  assert.equal((await w.get('deployments.apps', 'default', 'web'))!.spec.replicas, 4);
  const h = (await w.get(HPA, 'default', 'web'))!;
  assert.equal(h.status.currentReplicas, 2);
  assert.equal(h.status.desiredReplicas, 4);
  assert.equal(h.status.lastScaleTime, isoTime(w.clock.now()));
  assert.deepEqual(h.status.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 100, averageValue: '500m' } } }]);
  const cond = Object.fromEntries(h.status.conditions.map((c: any) => [c.type, `${c.status} ${c.reason}`]));
  assert.deepEqual(cond, { AbleToScale: 'True SucceededRescale', ScalingActive: 'True ValidMetricFound', ScalingLimited: 'False DesiredWithinRange' });
  assert.equal(
    h.status.conditions.find((c: any) => c.type === 'ScalingActive').message,
    'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
  );
  assert.deepEqual(await w.events('web'), ['Normal SuccessfulRescale: New size: 4; reason: cpu resource utilization (percentage of request) above target']);

  // Synced just now: another pass before 15 s changes nothing.
  w.clock.advance(5_000);
  const again = await w.run(hpaController);
  assert.equal(again.requeueAfterMs, 10_000);
  assert.equal((await w.get('deployments.apps', 'default', 'web'))!.spec.replicas, 4);
});

test('new pods without metrics count as 0 on a scale-up; idle pods scale down only after the 5 min window', async () => {
  const w = await autoscalingWorld();
  await w.create('deployments.apps', deployment(4));
  const start = w.clock.now() - 3_600_000;
  for (const name of ['web-a', 'web-b', 'web-c', 'web-d']) await w.create('pods', runningPod(name, start));
  // Two pods at 100%, two missing: (100 + 100 + 0 + 0) / 4 = 50% → ratio 1: no change.
  await w.scrape([podSample('web-a', 500), podSample('web-b', 500)]);
  await w.create(HPA, hpa());
  await w.run(hpaController);
  assert.equal((await w.get('deployments.apps', 'default', 'web'))!.spec.replicas, 4);

  // Everyone idle at 10%: recommendation ceil(0.2 × 4) = 1, held back by the first recommendation (4) for 5 min.
  w.clock.advance(15_000);
  await w.scrape(['web-a', 'web-b', 'web-c', 'web-d'].map((n) => podSample(n, 50)));
  await w.run(hpaController);
  let h = (await w.get(HPA, 'default', 'web'))!;
  assert.equal(h.status.desiredReplicas, 4);
  assert.equal(h.status.conditions.find((c: any) => c.type === 'AbleToScale').reason, 'ScaleDownStabilized');
  w.clock.advance(300_000);
  await w.scrape(['web-a', 'web-b', 'web-c', 'web-d'].map((n) => podSample(n, 50)));
  await w.run(hpaController);
  h = (await w.get(HPA, 'default', 'web'))!;
  assert.equal((await w.get('deployments.apps', 'default', 'web'))!.spec.replicas, 1);
  assert.ok((await w.events('web')).includes('Normal SuccessfulRescale: New size: 1; reason: All metrics below target'));
});

test('missing metrics, a missing target and a zero-replica target give the Kubernetes conditions', async () => {
  const w = await autoscalingWorld();
  await w.create(HPA, hpa());
  await w.run(hpaController);
  let h = (await w.get(HPA, 'default', 'web'))!;
  const able = h.status.conditions.find((c: any) => c.type === 'AbleToScale');
  assert.deepEqual(
    [able.status, able.reason, able.message],
    ['False', 'FailedGetScale', 'the HPA controller was unable to get the target\'s current scale: deployments.apps "web" not found'],
  );
  assert.deepEqual(await w.events('web'), ['Warning FailedGetScale: deployments.apps "web" not found']);

  await w.create('deployments.apps', deployment(2));
  for (const name of ['web-a', 'web-b']) await w.create('pods', runningPod(name, w.clock.now() - 3_600_000));
  w.clock.advance(15_000);
  await w.run(hpaController);
  h = (await w.get(HPA, 'default', 'web'))!;
  const active = h.status.conditions.find((c: any) => c.type === 'ScalingActive');
  assert.deepEqual([active.status, active.reason], ['False', 'FailedGetResourceMetric']);
  assert.equal(
    active.message,
    'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
  );
  assert.deepEqual(h.status.currentMetrics, [{ type: '' }]);
  assert.equal(h.status.currentReplicas, 2);
  assert.ok(
    (await w.events('web')).includes(
      'Warning FailedComputeMetricsReplicas: invalid metrics (1 invalid out of 1), first error is: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    ),
  );

  const dep = (await w.get('deployments.apps', 'default', 'web'))!;
  await w.store.update(w.clusterId, 'deployments.apps', { ...dep, spec: { ...dep.spec, replicas: 0 } });
  w.clock.advance(15_000);
  await w.run(hpaController);
  h = (await w.get(HPA, 'default', 'web'))!;
  const disabled = h.status.conditions.find((c: any) => c.type === 'ScalingActive');
  assert.deepEqual(
    [disabled.status, disabled.reason, disabled.message],
    ['False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero'],
  );
  assert.equal((await w.get('deployments.apps', 'default', 'web'))!.spec.replicas, 0);
});

test('replicas below minReplicas are raised at once, whatever the metrics say', async () => {
  const w = await autoscalingWorld();
  await w.create('deployments.apps', deployment(1));
  await w.create(HPA, hpa({ minReplicas: 3 }));
  await w.run(hpaController);
  assert.equal((await w.get('deployments.apps', 'default', 'web'))!.spec.replicas, 3);
  assert.deepEqual(await w.events('web'), ['Normal SuccessfulRescale: New size: 3; reason: Current number of replicas below Spec.MinReplicas']);
});
