import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { usageIntervals } from '../../src/store/schema/index.ts';
import { advanceClusterClock, clusterNow } from './helpers/cluster-clock.ts';

const MIN = 60_000;
const REQUEST_MILLI = 500;
const MAX_REPLICAS = 8;

const manifests = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports: [{containerPort: 80}]
        resources: {requests: {cpu: ${REQUEST_MILLI}m, memory: 64Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: ${MAX_REPLICAS}
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
`;

let h: Harness;
let token: string;
let clusterId: string;
let kubeconfig: string;

before(async () => {
  h = await startHarness();
  token = (await h.tenant()).token;
  const cluster = await h.runningCluster(token, {
    name: 'chain',
    provider: 'eks',
    region: 'us-east-1',
    timeScale: 60,
    nodePools: [{ name: 'default', instanceType: 'm5.large', count: 1, minCount: 1, maxCount: 4, autoscaling: true }],
  });
  clusterId = cluster.id;
  kubeconfig = await h.kubeconfig(token, clusterId);
});
after(() => h.stop());

const store = () => h.runtime.deps.store;
const list = async (resource: string) => (await store().list(clusterId, resource)).items;
const deployment = async () => (await store().get(clusterId, 'deployments.apps', 'default', 'web'))!;
const hpa = async () => (await store().get(clusterId, 'horizontalpodautoscalers.autoscaling', 'default', 'web'))!;
const pool = async () => (await h.request('GET', `/v1/clusters/${clusterId}`, { token })).body.nodePools[0];
const readyPods = async () =>
  (await list('pods')).filter((p) => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'));
const hpaEvents = async () =>
  (await list('events')).filter((e) => (e.involvedObject as any).kind === 'HorizontalPodAutoscaler').map((e) => e.message as string);
const nodeIntervals = () =>
  h.runtime.deps.database.db
    .select()
    .from(usageIntervals)
    .where(and(eq(usageIntervals.clusterId, clusterId), eq(usageIntervals.kind, 'node')))
    .all();

test('traffic up → CPU up → HPA adds replicas → pods pending → pool grows → node-hours; traffic down → both come back', { timeout: 90_000 }, async () => {
  const applied = await h.kubectl(kubeconfig, ['apply', '-f', '-'], manifests);
  assert.equal(applied.code, 0, applied.stderr);
  await h.waitFor(async () => (await readyPods()).length === 2, 'two ready web pods');
  const [firstNode] = await list('nodes');
  const allocMilli = Number(String(firstNode.status.allocatable.cpu).replace('m', ''));
  const podsPerNode = Math.floor(allocMilli / REQUEST_MILLI);

  // 400 rps at 5m each: 2000m of demand on two pods requesting 500m → far above the 50% target.
  const put = await h.request('PUT', `/v1/clusters/${clusterId}/traffic`, {
    token,
    body: { services: [{ namespace: 'default', name: 'web', rps: 400, cpuPerRequest: '5m' }] },
  });
  assert.equal(put.status, 200);
  assert.deepEqual([put.body.current[0].endpoints, put.body.current[0].rpsPerEndpoint], [2, 200]);

  // First sync: utilization ≥ 200% of request → ceil(2 × ≥200/50) ≥ 8, capped by the scale-up limit max(2 × 2, 4) = 4.
  await h.waitFor(
    async () => (await hpaEvents()).some((m) => m.startsWith('New size: 4; reason: cpu resource utilization (percentage of request) above target')),
    'HPA rescale to 4',
    20_000,
  );
  const top = await h.kubectl(kubeconfig, ['top', 'pods', '-l', 'app=web']);
  assert.equal(top.code, 0, top.stderr);
  assert.match(top.stdout, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
  // Then to maxReplicas, and no further.
  await h.waitFor(async () => (await deployment()).spec.replicas === MAX_REPLICAS, `HPA at maxReplicas ${MAX_REPLICAS}`, 20_000);
  // The target is written first, the HPA's status right after.
  await h.waitFor(async () => (await hpa()).status?.desiredReplicas === MAX_REPLICAS, 'HPA status at maxReplicas');

  // 8 pods of 500m need ceil(8 / 3) = 3 m5.large nodes: the pool grows by 2, then every pod runs.
  const wantNodes = Math.ceil(MAX_REPLICAS / podsPerNode);
  await h.waitFor(async () => (await pool()).count === wantNodes, `pool target ${wantNodes}`, 20_000);
  await h.waitFor(
    async () => (await list('nodes')).length === wantNodes && (await readyPods()).length === MAX_REPLICAS,
    'new nodes joined and all pods ready',
    30_000,
  );
  const decisions = (await h.request('GET', `/v1/clusters/${clusterId}/autoscaler/events`, { token })).body.items.map((e: any) => e.reason);
  assert.ok(decisions.includes('ScaledUpGroup'));
  assert.equal((await pool()).count, wantNodes, 'no more nodes than the pods need');
  const intervals = await nodeIntervals();
  assert.equal(intervals.length, wantNodes, 'every node, old and new, has a metered interval');
  assert.ok(intervals.every((i) => i.endedAt === null));

  const hpaTable = await h.kubectl(kubeconfig, ['get', 'hpa', 'web']);
  assert.match(hpaTable.stdout, /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE/);
  assert.match(hpaTable.stdout, new RegExp(`web\\s+Deployment/web\\s+cpu: \\d+%/50%\\s+2\\s+${MAX_REPLICAS}\\s+${MAX_REPLICAS}`));

  // Traffic stops. The HPA waits out its 5 min downscale stabilization, then goes back to minReplicas.
  assert.equal((await h.request('PUT', `/v1/clusters/${clusterId}/traffic`, { token, body: { services: [] } })).status, 200);
  const stoppedAt = await clusterNow(h, clusterId);
  await advanceClusterClock(h, clusterId, 2 * MIN);
  assert.equal((await deployment()).spec.replicas, MAX_REPLICAS, 'still inside the stabilization window');
  await advanceClusterClock(h, clusterId, 4 * MIN);
  await h.waitFor(async () => (await deployment()).spec.replicas === 2, 'HPA back to minReplicas', 20_000);
  await h.waitFor(async () => (await hpaEvents()).includes('New size: 2; reason: All metrics below target'), 'the scale-down event');
  await h.waitFor(async () => (await hpa()).status?.desiredReplicas === 2, 'HPA status at minReplicas');
  const lastScale = Date.parse((await hpa()).status.lastScaleTime);
  assert.ok(lastScale - stoppedAt >= 5 * MIN, 'scaled down only after the stabilization window');

  // The extra nodes sit idle: after the 10 min delay after scale-up and 10 min unneeded they go, down to minCount.
  for (let i = 0; i < 6 && (await pool()).count > 1; i++) {
    await advanceClusterClock(h, clusterId, 5 * MIN);
    await new Promise((r) => setTimeout(r, 500));
  }
  await h.waitFor(async () => (await pool()).count === 1 && (await list('nodes')).length === 1, 'pool back to 1 node', 20_000);
  await h.waitFor(async () => (await readyPods()).length === 2, 'the two remaining pods run on the last node', 20_000);
  const closed = (await nodeIntervals()).filter((i) => i.endedAt !== null);
  assert.equal(closed.length, wantNodes - 1, 'the removed nodes stopped being metered');
  const status = (await h.request('GET', `/v1/clusters/${clusterId}/autoscaler/status`, { token })).body;
  assert.deepEqual(
    status.nodeGroups.map((g: any) => [g.targetSize, g.registered]),
    [[1, 1]],
  );
  assert.equal(status.nodes[0].reason, 'NotUnderutilized', 'two 500m pods use 52% of an m5.large');
});
