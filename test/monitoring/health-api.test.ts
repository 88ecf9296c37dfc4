import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';
import { ManualClock } from '../helpers/store.ts';
import type { KubeObject } from '../../src/kube/types.ts';

let h: Harness;
let clock: ManualClock;
let owner: { id: string; token: string };

before(async () => {
  clock = new ManualClock(Date.parse('2026-04-01T00:00:00Z'));
  h = await startHarness({ clock });
  owner = await h.tenant();
});
after(() => h.stop());

const deployment = (name: string, replicas: number, annotations: Record<string, string>, cpu: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name }, annotations: { 'kates.dev/image-pull-seconds': '0', ...annotations } },
      spec: { containers: [{ name: 'app', image: 'busybox:1.36', resources: { requests: { cpu } } }] },
    },
  },
});

test("health and the report show a crash-looping workload and an unschedulable pod with the kubelet's and scheduler's reasons", async () => {
  const cluster = await h.runningCluster(owner.token, { ...defaultClusterBody(), nodePools: [{ name: 'default', instanceType: 'm5.large', count: 1 }] });
  const { store } = h.runtime.deps;
  await store.create(cluster.id, 'deployments.apps', deployment('crasher', 1, { 'kates.dev/crash-after-seconds': '2', 'kates.dev/exit-code': '3' }, '100m'));
  await store.create(cluster.id, 'deployments.apps', deployment('huge', 1, {}, '64'));

  const health = await h.waitFor(
    async () => {
      clock.advance(1000);
      const r = await h.request('GET', `/v1/clusters/${cluster.id}/health`, { token: owner.token });
      return r.body.crashLoopingPods.length > 0 && r.body.unschedulablePods.length > 0 && r.body;
    },
    'a crash loop and an unschedulable pod',
    60_000,
  );
  assert.equal(health.status, 'degraded');
  const crash = health.crashLoopingPods[0];
  assert.match(crash.name, /^crasher-/);
  assert.equal(crash.exitCode, 3);
  assert.equal(crash.lastTerminationReason, 'Error');
  assert.ok(crash.restarts >= 1);
  assert.match(crash.message, /^back-off \S+ restarting failed container=app pod=crasher-/);
  const pending = health.unschedulablePods[0];
  assert.match(pending.name, /^huge-/);
  assert.equal(pending.reason, 'Unschedulable');
  assert.match(pending.message, /^0\/1 nodes are available: 1 Insufficient cpu\./);
  // The crash-looping Deployment flips between available and not as its pod restarts; `huge` never is.
  assert.ok(health.workloads.unavailable.some((w: any) => w.name === 'huge' && w.available === 0));

  clock.advance(30_000);
  const report = await h.waitFor(
    async () => {
      const r = await h.request('GET', `/v1/clusters/${cluster.id}/monitoring?range=5m&step=15s`, { token: owner.token });
      const last = r.body.pods.unschedulable.filter((v: number | null) => v !== null).pop();
      return last === 1 && r.body.pods.restarts.some((v: number | null) => (v ?? 0) > 0) && r.body;
    },
    'the report to show them',
    20_000,
  );
  assert.ok(report.pods.pending.some((v: number | null) => (v ?? 0) >= 1));
  const crasher = report.deployments.find((d: any) => d.name === 'crasher');
  assert.ok(crasher.desired.includes(1));
});
