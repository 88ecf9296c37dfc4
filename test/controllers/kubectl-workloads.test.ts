import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { clusters } from '../../src/store/schema/index.ts';
import { clusterTime, type ClusterClockSettings } from '../../src/lib/clock.ts';
import { isPodActive, isPodAvailable } from '../../src/controllers/shared/pod-state.ts';
import type { KubeObject } from '../../src/kube/types.ts';

/**
 * The workload controllers end to end: real API, BullMQ queues, scheduler and simulated kubelet,
 * driven by the real kubectl. The cluster clock runs 30× faster so minReadySeconds and CronJob
 * minutes pass quickly; nothing here asserts on time.
 */
const EXAMPLES = new URL('../../examples/', import.meta.url);
let h: Harness;
let kubeconfig: string;
let clusterId: string;
let ownerToken: string;
let clock: ClusterClockSettings;

before(async () => {
  h = await startHarness();
  const owner = await h.tenant();
  ownerToken = owner.token;
  const cluster = await h.runningCluster(owner.token, {
    name: 'workloads',
    provider: 'eks',
    region: 'us-east-1',
    timeScale: 30,
    nodePools: [{ name: 'general', instanceType: 'm5.large', count: 3 }],
  });
  clusterId = cluster.id;
  kubeconfig = await h.kubeconfig(owner.token, clusterId);
  const row = await h.runtime.deps.database.db.select().from(clusters).where(eq(clusters.id, clusterId)).get();
  clock = { originMs: row!.clockOriginMs, timeScale: row!.timeScale, skewMs: row!.clockSkewMs };
});
after(() => h.stop());

async function kubectl(args: string[], input?: string): Promise<string> {
  const r = await h.kubectl(kubeconfig, args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const getJson = async (args: string[]) => JSON.parse(await kubectl([...args, '-o', 'json']));
const podsOf = async (selector: string): Promise<KubeObject[]> => (await getJson(['get', 'pods', '-l', selector])).items;

test('hello-deploy reaches 10/10 available (kubectl apply, rollout status)', async () => {
  await kubectl(['apply', '-f', '-'], readFileSync(new URL('hello-deploy.yaml', EXAMPLES), 'utf8'));
  const out = await kubectl(['rollout', 'status', 'deployment/hello-deploy', '--timeout=120s']);
  assert.match(out, /deployment "hello-deploy" successfully rolled out/);
  const d = await getJson(['get', 'deployment', 'hello-deploy']);
  assert.deepEqual([d.status.replicas, d.status.readyReplicas, d.status.availableReplicas, d.status.updatedReplicas], [10, 10, 10, 10]);
  const table = await kubectl(['get', 'deployment', 'hello-deploy']);
  assert.match(table, /hello-deploy\s+10\/10\s+10\s+10/);
});

test('kubectl set image rolls out within maxSurge and maxUnavailable, over every watched change', async () => {
  // Wait until the first rollout's pods are all available, so the invariant starts from a steady state.
  await h.waitFor(async () => (await getJson(['get', 'deployment', 'hello-deploy'])).status.availableReplicas === 10, '10 available');
  const seeded = await h.runtime.deps.store.list(clusterId, 'pods', { namespace: 'default', filter: (p) => p.metadata.labels?.app === 'hello-world' });
  const tracked = watchHelloPods(seeded.items);
  await kubectl(['set', 'image', 'deployment/hello-deploy', 'hello-pod=k8sbook:2.0']);
  await kubectl(['rollout', 'status', 'deployment/hello-deploy', '--timeout=180s']);
  tracked.stop();
  assert.deepEqual(tracked.violations, []);
  assert.ok(tracked.changes > 20, `saw ${tracked.changes} pod changes`);
  const pods = await podsOf('app=hello-world');
  assert.equal(pods.filter(isPodActive).length, 10);
  assert.ok(pods.filter(isPodActive).every((p) => p.spec.containers[0].image === 'k8sbook:2.0'));
});

/**
 * Follows hello-world pods through every commit of the cluster (the watch stream, in process) and
 * checks hello-deploy's bounds after each: replicas 10 + maxSurge 1 pods at most, replicas 10 −
 * maxUnavailable 1 available (Ready for minReadySeconds 10) at least.
 */
function watchHelloPods(initial: KubeObject[]): { violations: string[]; changes: number; stop(): void } {
  const pods = new Map(initial.map((p) => [p.metadata.uid!, p]));
  const state = { violations: [] as string[], changes: 0, live: true };
  h.runtime.deps.store.onCommit((cid, events) => {
    if (!state.live || cid !== clusterId) return;
    let touched = false;
    for (const e of events) {
      if (e.resource !== 'pods' || e.object.metadata.labels?.app !== 'hello-world') continue;
      touched = true;
      state.changes++;
      if (e.type === 'DELETED') pods.delete(e.object.metadata.uid!);
      else pods.set(e.object.metadata.uid!, e.object);
    }
    if (!touched) return;
    const now = clusterTime(Date.now(), clock);
    const all = [...pods.values()];
    const active = all.filter(isPodActive).length;
    const available = all.filter((p) => isPodActive(p) && isPodAvailable(p, 10, now)).length;
    if (active > 11) state.violations.push(`${active} pods`);
    if (available < 9) state.violations.push(`${available} available`);
  });
  return {
    violations: state.violations,
    get changes() {
      return state.changes;
    },
    stop: () => {
      state.live = false;
    },
  };
}

test('kubectl rollout undo returns to the previous template as revision 3', async () => {
  const out = await kubectl(['rollout', 'undo', 'deployment/hello-deploy']);
  assert.match(out, /deployment.apps\/hello-deploy rolled back/);
  await kubectl(['rollout', 'status', 'deployment/hello-deploy', '--timeout=180s']);
  const pods = (await podsOf('app=hello-world')).filter(isPodActive);
  assert.equal(pods.length, 10);
  assert.ok(pods.every((p) => p.spec.containers[0].image === 'k8sbook:latest'));
  const history = await kubectl(['rollout', 'history', 'deployment/hello-deploy']);
  assert.match(history, /REVISION\s+CHANGE-CAUSE\s+2\s+<none>\s+3\s+<none>/);
  const rss = (await getJson(['get', 'replicasets', '-l', 'app=hello-world'])).items;
  assert.equal(rss.length, 2, 'the old ReplicaSet was reused');
});

test('a deleted pod is replaced (self-healing)', async () => {
  const [victim] = (await podsOf('app=hello-world')).filter(isPodActive);
  await kubectl(['delete', 'pod', victim.metadata.name!, '--wait=false']);
  await h.waitFor(async () => {
    const pods = (await podsOf('app=hello-world')).filter((p) => isPodActive(p) && p.status?.phase === 'Running');
    return pods.length === 10 && !pods.some((p) => p.metadata.uid === victim.metadata.uid);
  }, 'a replacement pod Running');
});

test('tkb-sts comes up in order with its PVCs and keeps them across a pod deletion', async () => {
  await kubectl(['apply', '-f', '-'], readFileSync(new URL('tkb-sts.yaml', EXAMPLES), 'utf8'));
  await kubectl(['rollout', 'status', 'statefulset/tkb-sts', '--timeout=180s']);
  const pods = await podsOf('app=web');
  const created = pods.map((p) => [p.metadata.name, p.metadata.creationTimestamp]).sort();
  assert.deepEqual(
    created.map(([n]) => n),
    ['tkb-sts-0', 'tkb-sts-1', 'tkb-sts-2'],
  );
  for (let i = 1; i < created.length; i++) assert.ok(created[i][1]! >= created[i - 1][1]!, 'created in ordinal order');
  const pvcs = (await getJson(['get', 'pvc'])).items;
  assert.deepEqual(pvcs.map((c: KubeObject) => c.metadata.name).sort(), ['webroot-tkb-sts-0', 'webroot-tkb-sts-1', 'webroot-tkb-sts-2']);
  const before1 = pvcs.find((c: KubeObject) => c.metadata.name === 'webroot-tkb-sts-1');
  await kubectl(['delete', 'pod', 'tkb-sts-1', '--wait=false']);
  await h.waitFor(async () => {
    const p = await getJson(['get', 'pod', 'tkb-sts-1']).catch(() => undefined);
    return p && !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && p;
  }, 'tkb-sts-1 back');
  const after1 = await getJson(['get', 'pvc', 'webroot-tkb-sts-1']);
  assert.equal(after1.metadata.uid, before1.metadata.uid);
  assert.equal((await getJson(['get', 'pvc'])).items.length, 3);
});

test('a DaemonSet follows a node added to the pool', async () => {
  const ds = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:1' }] } },
    },
  };
  await kubectl(['apply', '-f', '-'], JSON.stringify(ds));
  const nodes = async () => (await getJson(['get', 'nodes'])).items.length;
  const daemonPods = async () =>
    (await podsOf('app=agent'))
      .filter((p) => p.status?.phase === 'Running')
      .map((p) => p.spec.nodeName)
      .sort();
  await h.waitFor(async () => (await daemonPods()).length === (await nodes()), 'one agent per node');
  const r = await h.request('PATCH', `/v1/clusters/${clusterId}`, { token: ownerToken, body: { nodePools: [{ name: 'general', count: 4, maxCount: 4 }] } });
  assert.ok(r.status === 202 || r.status === 200, r.text);
  await h.waitFor(async () => (await nodes()) === 4 && (await daemonPods()).length === 4, 'an agent on the new node', 60_000);
  const status = (await getJson(['get', 'daemonset', 'agent'])).status;
  assert.equal(status.desiredNumberScheduled, 4);
});

test('a CronJob every minute creates Jobs on time', async () => {
  await kubectl(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=* * * * *']);
  // At 30× a cluster minute is 2 s of real time; two runs arrive well within the wait.
  const jobs = await h.waitFor(
    async () => {
      const items = (await getJson(['get', 'jobs'])).items.filter((j: KubeObject) => j.metadata.name!.startsWith('tick-'));
      return items.length >= 2 && items;
    },
    'two tick Jobs',
    60_000,
  );
  for (const j of jobs) {
    const minutes = Number(j.metadata.name.slice('tick-'.length));
    const scheduled = Date.parse(j.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']);
    assert.equal(minutes * 60_000, scheduled, 'named after its scheduled minute');
    assert.equal(j.metadata.ownerReferences[0].name, 'tick');
  }
  const cj = await getJson(['get', 'cronjob', 'tick']);
  assert.ok(cj.status.lastScheduleTime);
});
