import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { node, world } from '../kubelet/world.ts';
import { serviceController } from '../../src/network/service-controller.ts';
import { endpointsController } from '../../src/network/endpoints-controller.ts';
import { allocateServiceAddresses } from '../../src/kube/service-addresses/allocate.ts';
import { kubeletController } from '../../src/kubelet/controller.ts';
import { nodeHeartbeatController } from '../../src/kubelet/node-heartbeat.ts';
import { requestDeletion } from '../../src/kube/deletion.ts';
import { usageIntervals } from '../../src/store/schema/index.ts';
import type { KubeObject } from '../../src/kube/types.ts';

type W = Awaited<ReturnType<typeof world>>;

async function createService(w: W, spec: Record<string, unknown>, name = 'web'): Promise<KubeObject> {
  const { service, ops } = await allocateServiceAddresses(w.store, w.clusterId, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec,
  });
  const [created] = (await w.store.commit(w.clusterId, [...ops, { op: 'create', resource: 'services', object: service }])).slice(-1);
  return created;
}

async function intervals(w: W) {
  return w.store.database.db.select().from(usageIntervals).where(eq(usageIntervals.kind, 'loadbalancer')).all();
}

test('a LoadBalancer Service gets an ELB hostname after provisioning, billed from then until it is deleted', async () => {
  const w = await world();
  await createService(w, { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] });
  await w.settle([serviceController]);
  let svc = (await w.get('services', 'default', 'web'))!;
  assert.deepEqual(svc.metadata.finalizers, ['service.kubernetes.io/load-balancer-cleanup']);
  assert.equal(svc.status?.loadBalancer?.ingress, undefined, 'kubectl shows <pending> while provisioning');
  assert.equal(w.results.get('service')!.requeueAfterMs, 5000);
  assert.equal((await intervals(w)).length, 0);

  w.clock.advance(5000);
  await w.settle([serviceController]);
  svc = (await w.get('services', 'default', 'web'))!;
  assert.match(svc.status.loadBalancer.ingress[0].hostname, /^a[0-9a-f]{32}-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
  const open = await intervals(w);
  assert.equal(open.length, 1);
  assert.deepEqual([open[0].subject, open[0].tenantId, open[0].startedAt, open[0].endedAt], ['default/web', 'ten_test', w.clock.now(), null]);
  assert.deepEqual((await w.events('web')).sort(), ['EnsuredLoadBalancer: Ensured load balancer', 'EnsuringLoadBalancer: Ensuring load balancer']);

  w.clock.advance(3_600_000);
  await requestDeletion(w.store, w.clusterId, 'services', 'default', 'web');
  assert.ok((await w.get('services', 'default', 'web'))!.metadata.deletionTimestamp, 'the cleanup finalizer holds the Service');
  await w.settle([serviceController]);
  assert.equal(await w.get('services', 'default', 'web'), undefined);
  const closed = await intervals(w);
  assert.equal(closed[0].endedAt! - closed[0].startedAt, 3_600_000, 'exactly one hour of load balancer');
  assert.deepEqual(await w.list('ipaddresses.networking.k8s.io'), [], 'its ClusterIP reservation is released');
});

test('changing a Service away from LoadBalancer removes the ingress and stops billing', async () => {
  const w = await world();
  await createService(w, { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] });
  w.clock.advance(10_000);
  await w.settle([serviceController]);
  const svc = (await w.get('services', 'default', 'web'))!;
  await w.store.update(w.clusterId, 'services', { ...svc, spec: { ...svc.spec, type: 'ClusterIP' } });
  w.clock.advance(1000);
  await w.settle([serviceController]);
  const after = (await w.get('services', 'default', 'web'))!;
  assert.deepEqual(after.status.loadBalancer, {});
  assert.deepEqual(after.metadata.finalizers, []);
  assert.notEqual((await intervals(w))[0].endedAt, null);
});

test('the repair loop gives addresses to Services stored without the allocator and drops orphaned reservations', async () => {
  const w = await world();
  await w.create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default' },
    spec: { ports: [{ name: 'https', port: 443 }] },
  });
  const other = await createService(w, { selector: { app: 'x' }, ports: [{ port: 80 }], type: 'NodePort' }, 'other');
  await w.store.delete(w.clusterId, 'services', 'default', 'other'); // bypassing everything
  await w.settle([serviceController]);
  assert.equal((await w.get('services', 'default', 'kubernetes'))!.spec.clusterIP, '10.96.0.1');
  assert.deepEqual(
    (await w.list('ipaddresses.networking.k8s.io')).map((r) => r.metadata.name),
    ['10.96.0.1'],
  );
  assert.deepEqual(await w.list('servicenodeports.kates.dev'), []);
  assert.ok(other.spec.clusterIP);
});

test('a not-ready pod leaves the Service endpoints and returns when ready again', async () => {
  const w = await world();
  const all = [nodeHeartbeatController, kubeletController, endpointsController];
  await w.create('nodes', node('n1'));
  await createService(w, { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  const readiness = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, failureThreshold: 1 };
  for (const name of ['web-1', 'web-2']) {
    await w.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels: { app: 'web' } },
      spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 8080 }], readinessProbe: readiness }] },
    });
  }
  await w.run(all, 10_000);
  const ready = async () => {
    const e = (await w.get('endpoints', 'default', 'web'))!;
    const subset = (e.subsets as Array<{ addresses?: { targetRef: { name: string } }[]; notReadyAddresses?: { targetRef: { name: string } }[] }>)[0];
    return { ready: (subset.addresses ?? []).map((a) => a.targetRef.name), notReady: (subset.notReadyAddresses ?? []).map((a) => a.targetRef.name) };
  };
  assert.deepEqual(await ready(), { ready: ['web-1', 'web-2'], notReady: [] });
  const slice = (await w.list('endpointslices.discovery.k8s.io'))[0];
  assert.deepEqual(
    (slice.endpoints as { conditions: object }[]).map((e) => e.conditions),
    [
      { ready: true, serving: true, terminating: false },
      { ready: true, serving: true, terminating: false },
    ],
  );

  // kubectl annotate pod web-2 kates.dev/readiness=fail
  const pod = (await w.get('pods', 'default', 'web-2'))!;
  await w.store.update(w.clusterId, 'pods', {
    ...pod,
    metadata: { ...pod.metadata, annotations: { ...pod.metadata.annotations, 'kates.dev/readiness': 'fail' } },
  });
  await w.run(all, 10_000);
  assert.deepEqual(await ready(), { ready: ['web-1'], notReady: ['web-2'] });

  const again = (await w.get('pods', 'default', 'web-2'))!;
  await w.store.update(w.clusterId, 'pods', {
    ...again,
    metadata: { ...again.metadata, annotations: { ...again.metadata.annotations, 'kates.dev/readiness': 'pass' } },
  });
  await w.run(all, 10_000);
  assert.deepEqual(await ready(), { ready: ['web-1', 'web-2'], notReady: [] });

  // A terminating pod leaves Endpoints but stays in the slice as terminating.
  await requestDeletion(w.store, w.clusterId, 'pods', 'default', 'web-1');
  await w.settle(all);
  assert.deepEqual(await ready(), { ready: ['web-2'], notReady: [] });
  const s = (await w.list('endpointslices.discovery.k8s.io'))[0];
  const web1 = (s.endpoints as { targetRef: { name: string }; conditions: object }[]).find((e) => e.targetRef.name === 'web-1')!;
  assert.deepEqual(web1.conditions, { ready: false, serving: true, terminating: true });
});
