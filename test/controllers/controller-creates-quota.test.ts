import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeTestApp, type KubeTestApp } from '../kube/helpers/app.ts';
import { deploymentController } from '../../src/controllers/deployment/controller.ts';
import { daemonSetController } from '../../src/controllers/daemonset/controller.ts';
import { statefulSetController } from '../../src/controllers/statefulset/controller.ts';
import type { Controller, ReconcileContext } from '../../src/controllers/runtime.ts';
import { endpointsController } from '../../src/network/endpoints-controller.ts';
import { nodeHeartbeatController } from '../../src/kubelet/node-heartbeat.ts';
import { Pass } from '../../src/controllers/shared/pass.ts';
import { writeStatusConfigMap } from '../../src/autoscaling/cluster-autoscaler/status-writer.ts';
import { emptyCaState, type AutoscalerReport } from '../../src/autoscaling/cluster-autoscaler/state.ts';
import { storeEventRecorder } from '../../src/kube/events.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { KubeObject } from '../../src/kube/types.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function reconcileContext(k: KubeTestApp): ReconcileContext {
  const now = () => k.clock.now();
  return { clusterId: k.clusterId, store: k.store, now, log: silent, events: storeEventRecorder(k.store, k.clusterId, now), trigger() {} };
}

async function settle(ctx: ReconcileContext, controller: Controller, rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await controller.reconcile(ctx);
}

const template = (app: string, image: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image }] } });

async function putQuota(k: KubeTestApp, ns: string, hard: Record<string, string>): Promise<void> {
  const existing = await k.store.get(k.clusterId, 'resourcequotas', ns, 'q');
  const body = { ...(existing ?? {}), metadata: { ...(existing?.metadata ?? {}), name: 'q', namespace: ns }, spec: { hard } };
  const r = existing
    ? await k.json('PUT', `/api/v1/namespaces/${ns}/resourcequotas/q`, { body })
    : await k.json('POST', `/api/v1/namespaces/${ns}/resourcequotas`, { body });
  assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.body));
}

const used = async (k: KubeTestApp, ns: string) => (await k.store.get(k.clusterId, 'resourcequotas', ns, 'q'))!.status?.used;
const list = async (k: KubeTestApp, resource: string, ns: string) => (await k.store.list(k.clusterId, resource, { namespace: ns })).items;
const eventsOn = async (k: KubeTestApp, ns: string, name: string) =>
  (await list(k, 'events', ns)).filter((e) => (e.involvedObject as { name?: string }).name === name).map((e) => `${e.type} ${e.reason}: ${e.message}`);

test("a quota on count/replicasets.apps stops a Deployment's new ReplicaSet, and it is created once the quota is raised", async () => {
  const k = await kubeTestApp();
  const ctx = reconcileContext(k);
  await putQuota(k, 'default', { 'count/replicasets.apps': '1' });
  const created = await k.json('POST', '/apis/apps/v1/namespaces/default/deployments', {
    body: { metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('web', 'nginx:1') } },
  });
  assert.equal(created.status, 201);
  await settle(ctx, deploymentController);
  assert.equal((await list(k, 'replicasets.apps', 'default')).length, 1);
  assert.deepEqual(await used(k, 'default'), { 'count/replicasets.apps': '1' }, 'the first ReplicaSet is charged in its commit');

  // A new template needs a second ReplicaSet: the quota refuses it.
  const d = (await k.store.get(k.clusterId, 'deployments.apps', 'default', 'web'))!;
  assert.equal(
    (await k.json('PUT', '/apis/apps/v1/namespaces/default/deployments/web', { body: { ...d, spec: { ...d.spec, template: template('web', 'nginx:2') } } }))
      .status,
    200,
  );
  await settle(ctx, deploymentController);
  assert.equal((await list(k, 'replicasets.apps', 'default')).length, 1);
  const events = await eventsOn(k, 'default', 'web');
  const refusal = events.find((e) => e.startsWith('Warning ReplicaSetCreateError: '));
  assert.ok(refusal, events.join('\n'));
  assert.match(
    refusal,
    /Failed to create new replica set "web-[a-z0-9]+": replicasets\.apps "web-[a-z0-9]+" is forbidden: exceeded quota: q, requested: count\/replicasets\.apps=1, used: count\/replicasets\.apps=1, limited: count\/replicasets\.apps=1$/,
  );
  const progressing = () =>
    k.store.get(k.clusterId, 'deployments.apps', 'default', 'web').then((x) => x!.status.conditions.find((c: KubeObject) => c.type === 'Progressing'));
  assert.deepEqual([(await progressing()).status, (await progressing()).reason], ['False', 'ReplicaSetCreateError']);

  // A client's create meets the same usage.
  const manual = await k.json('POST', '/apis/apps/v1/namespaces/default/replicasets', {
    body: { metadata: { name: 'manual' }, spec: { replicas: 0, selector: { matchLabels: { app: 'manual' } }, template: template('manual', 'nginx') } },
  });
  assert.equal(manual.status, 403);

  await putQuota(k, 'default', { 'count/replicasets.apps': '2' });
  await settle(ctx, deploymentController);
  const sets = await list(k, 'replicasets.apps', 'default');
  assert.equal(sets.length, 2);
  assert.ok(sets.some((rs) => rs.spec.template.spec.containers[0].image === 'nginx:2'));
  assert.deepEqual(await used(k, 'default'), { 'count/replicasets.apps': '2' });
  assert.deepEqual([(await progressing()).status, (await progressing()).reason], ['True', 'NewReplicaSetCreated']);
});

test('ControllerRevisions of DaemonSets and StatefulSets are charged to quota, and a refused one stops the StatefulSet with FailedCreate', async () => {
  const k = await kubeTestApp();
  const ctx = reconcileContext(k);
  await putQuota(k, 'default', { 'count/controllerrevisions.apps': '2' });
  const ds = await k.json('POST', '/apis/apps/v1/namespaces/default/daemonsets', {
    body: { metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent', 'agent:1') } },
  });
  assert.equal(ds.status, 201);
  await settle(ctx, daemonSetController);
  assert.deepEqual(await used(k, 'default'), { 'count/controllerrevisions.apps': '1' });

  const sts = await k.json('POST', '/apis/apps/v1/namespaces/default/statefulsets', {
    body: { metadata: { name: 'db' }, spec: { replicas: 0, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template('db', 'db:1') } },
  });
  assert.equal(sts.status, 201);
  await settle(ctx, statefulSetController);
  assert.equal((await list(k, 'controllerrevisions.apps', 'default')).length, 2);
  assert.deepEqual(await used(k, 'default'), { 'count/controllerrevisions.apps': '2' });

  // A new template needs a third revision: refused, and the StatefulSet's update revision stays.
  const set = (await k.store.get(k.clusterId, 'statefulsets.apps', 'default', 'db'))!;
  const updateRevision = set.status.updateRevision;
  await k.json('PUT', '/apis/apps/v1/namespaces/default/statefulsets/db', { body: { ...set, spec: { ...set.spec, template: template('db', 'db:2') } } });
  await settle(ctx, statefulSetController);
  assert.equal((await list(k, 'controllerrevisions.apps', 'default')).length, 2);
  assert.equal((await k.store.get(k.clusterId, 'statefulsets.apps', 'default', 'db'))!.status.updateRevision, updateRevision);
  const events = await eventsOn(k, 'default', 'db');
  assert.ok(
    events.some((e) => /^Warning FailedCreate: create ControllerRevision db-[a-z0-9]+ in StatefulSet db failed error: .*exceeded quota: q/.test(e)),
    events.join('\n'),
  );

  await putQuota(k, 'default', { 'count/controllerrevisions.apps': '3' });
  await settle(ctx, statefulSetController);
  assert.notEqual((await k.store.get(k.clusterId, 'statefulsets.apps', 'default', 'db'))!.status.updateRevision, updateRevision);
  assert.deepEqual(await used(k, 'default'), { 'count/controllerrevisions.apps': '3' });
});

const report = (at: number): AutoscalerReport => ({
  at: new Date(at).toISOString(),
  dryRun: false,
  scaleUp: { status: 'NoActivity', options: [] },
  scaleDown: { status: 'NoCandidates', candidates: 0 },
  nodeGroups: [],
  nodes: [],
  pendingPods: [],
});

test("the cluster autoscaler's status ConfigMap is admitted: a quota on configmaps counts it, and refuses it when full", async () => {
  const k = await kubeTestApp();
  const pass = new Pass(reconcileContext(k), 'cluster-autoscaler');
  const state = emptyCaState();
  await putQuota(k, 'kube-system', { configmaps: '0' });
  assert.equal(await writeStatusConfigMap(pass, report(k.clock.now()), state, k.clock.now()), undefined);
  assert.equal(await k.store.get(k.clusterId, 'configmaps', 'kube-system', 'cluster-autoscaler-status'), undefined);

  await putQuota(k, 'kube-system', { configmaps: '5', 'count/configmaps': '5' });
  const cm = await writeStatusConfigMap(pass, report(k.clock.now()), state, k.clock.now());
  assert.equal(cm?.metadata.name, 'cluster-autoscaler-status');
  const stored = (await list(k, 'configmaps', 'kube-system')).length;
  assert.deepEqual(await used(k, 'kube-system'), { configmaps: String(stored), 'count/configmaps': String(stored) });
});

test("a Service's Endpoints and EndpointSlices are admitted: a quota on count/endpoints refuses the Endpoints with FailedToCreateEndpoint until raised", async () => {
  const k = await kubeTestApp();
  const ctx = reconcileContext(k);
  await putQuota(k, 'default', { 'count/endpoints': '0', 'count/endpointslices.discovery.k8s.io': '5' });
  const svc = await k.json('POST', '/api/v1/namespaces/default/services', {
    body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
  });
  assert.equal(svc.status, 201);
  await endpointsController.reconcile(ctx);
  assert.equal(await k.store.get(k.clusterId, 'endpoints', 'default', 'web'), undefined);
  assert.equal((await list(k, 'endpointslices.discovery.k8s.io', 'default')).length, 1, 'the slice fits its own quota');
  const events = await eventsOn(k, 'default', 'web');
  assert.ok(
    events.some((e) =>
      /^Warning FailedToCreateEndpoint: Failed to create endpoint for service default\/web: endpoints "web" is forbidden: exceeded quota: q/.test(e),
    ),
    events.join('\n'),
  );

  await putQuota(k, 'default', { 'count/endpoints': '1', 'count/endpointslices.discovery.k8s.io': '5' });
  await endpointsController.reconcile(ctx);
  assert.ok(await k.store.get(k.clusterId, 'endpoints', 'default', 'web'));
  assert.deepEqual(await used(k, 'default'), { 'count/endpoints': '1', 'count/endpointslices.discovery.k8s.io': '1' });
});

test('node Leases the kubelet creates are admitted: charged to a quota in kube-node-lease, and refused beyond it', async () => {
  const k = await kubeTestApp();
  const ctx = reconcileContext(k);
  await putQuota(k, 'kube-node-lease', { 'count/leases.coordination.k8s.io': '1' });
  for (const name of ['n1', 'n2'])
    await k.store.create(k.clusterId, 'nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name },
      status: { capacity: { cpu: '2', memory: '8Gi', pods: '110' } },
    });
  assert.equal((await nodeHeartbeatController.reconcile(ctx))?.requeueAfterMs, 60_000, 'a refused Lease is tried again');
  assert.equal((await list(k, 'leases.coordination.k8s.io', 'kube-node-lease')).length, 1);
  assert.deepEqual(await used(k, 'kube-node-lease'), { 'count/leases.coordination.k8s.io': '1' });

  await putQuota(k, 'kube-node-lease', { 'count/leases.coordination.k8s.io': '2' });
  await nodeHeartbeatController.reconcile(ctx);
  assert.deepEqual((await list(k, 'leases.coordination.k8s.io', 'kube-node-lease')).map((l) => l.metadata.name).sort(), ['n1', 'n2']);
  assert.deepEqual(await used(k, 'kube-node-lease'), { 'count/leases.coordination.k8s.io': '2' });
});
