import { test } from 'node:test';
import assert from 'node:assert/strict';
import { and, asc, eq } from 'drizzle-orm';
import { createTestStore } from '../helpers/store.ts';
import { ObjectStore } from '../../src/store/objects.ts';
import { registerMeteringHook } from '../../src/billing/metering-hook.ts';
import { openInterval } from '../../src/billing/intervals.ts';
import { clusters, usageIntervals } from '../../src/store/schema/index.ts';
import type { KubeObject } from '../../src/kube/types.ts';

const MIN = 60_000;
const GiB = 1024 ** 3;
type T = Awaited<ReturnType<typeof createTestStore>>;

/** Every interval of a kind as [subject, minutes after T0 it started, minutes it ended or null, attributes]. */
async function intervals(t: T, kind: string, t0: number) {
  const rows = await t.database.db
    .select()
    .from(usageIntervals)
    .where(and(eq(usageIntervals.clusterId, t.clusterId), eq(usageIntervals.kind, kind)))
    .orderBy(asc(usageIntervals.startedAt), asc(usageIntervals.endedAt))
    .all();
  for (const r of rows) assert.equal(r.tenantId, 'ten_test', 'the tenant comes from the cluster row');
  return rows.map((r) => [r.subject, (r.startedAt - t0) / MIN, r.endedAt === null ? null : (r.endedAt - t0) / MIN, JSON.parse(r.attributes)]);
}

const node = (name: string, labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
const poolNode = (name: string) =>
  node(name, { 'kates.dev/node-pool': 'default', 'node.kubernetes.io/instance-type': 'm5.large', 'topology.kubernetes.io/zone': 'us-east-1a' });

const pod = (name: string, cpu = '250m'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    labels: { app: 'web', 'pod-template-hash': 'abc12' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc12', uid: 'u1', controller: true }],
  },
  spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu, memory: '512Mi' } } }] },
});

async function patch(t: T, resource: string, ns: string, name: string, change: (o: KubeObject) => void): Promise<KubeObject> {
  const current = structuredClone((await t.store.get(t.clusterId, resource, ns, name))!);
  change(current);
  return t.store.update(t.clusterId, resource, current);
}

test('nodes: kates-provisioned nodes are metered from creation to deletion; label edits never stop the meter', async () => {
  const t = await createTestStore();
  const t0 = t.clock.now();
  await t.store.commit(t.clusterId, [
    { op: 'create', resource: 'nodes', object: poolNode('n1') },
    { op: 'create', resource: 'nodes', object: node('hand-made', { 'kubernetes.io/hostname': 'hand-made' }) },
  ]);
  t.clock.advance(10 * MIN);
  await patch(t, 'nodes', '', 'n1', (n) => delete n.metadata.labels!['kates.dev/node-pool']);
  t.clock.advance(20 * MIN);
  await t.store.delete(t.clusterId, 'nodes', '', 'n1');
  await t.store.delete(t.clusterId, 'nodes', '', 'hand-made');

  assert.deepEqual(await intervals(t, 'node', t0), [['n1', 0, 30, { instanceType: 'm5.large', pool: 'default', zone: 'us-east-1a' }]]);
});

test('pods: metered while bound and not terminal; a requests change reopens; Succeeded and deletion close', async () => {
  const t = await createTestStore();
  const t0 = t.clock.now();
  await t.store.create(t.clusterId, 'pods', pod('web-1'));
  await t.store.create(t.clusterId, 'pods', pod('web-2'));
  t.clock.advance(1 * MIN);
  assert.deepEqual(await intervals(t, 'pod', t0), [], 'a pending pod costs nothing');

  // The scheduler binds both; the kubelet then reports them Running (no new interval).
  for (const name of ['web-1', 'web-2']) await patch(t, 'pods', 'default', name, (p) => (p.spec.nodeName = 'n1'));
  t.clock.advance(1 * MIN);
  for (const name of ['web-1', 'web-2']) await patch(t, 'pods', 'default', name, (p) => (p.status = { phase: 'Running' }));
  await patch(t, 'pods', 'default', 'web-1', (p) => (p.metadata.labels!.tier = 'front'));

  t.clock.advance(3 * MIN);
  await patch(t, 'pods', 'default', 'web-1', (p) => (p.spec.containers[0].resources.requests.cpu = '500m'));
  t.clock.advance(5 * MIN);
  await patch(t, 'pods', 'default', 'web-1', (p) => (p.status = { phase: 'Succeeded' }));
  await t.store.delete(t.clusterId, 'pods', 'default', 'web-1');
  t.clock.advance(10 * MIN);
  await t.store.delete(t.clusterId, 'pods', 'default', 'web-2');

  const attrs = (cpuMilli: number, name: string) => ({
    namespace: 'default',
    name,
    node: 'n1',
    cpuMilli,
    memoryBytes: 512 * 1024 ** 2,
    workload: 'Deployment/web',
    labels: { app: 'web', 'pod-template-hash': 'abc12' },
  });
  const rows = await intervals(t, 'pod', t0);
  assert.deepEqual(
    rows.map((r) => r.slice(0, 3)),
    [
      ['default/web-1', 1, 5],
      ['default/web-2', 1, 20],
      ['default/web-1', 5, 10],
    ],
  );
  assert.deepEqual(rows[0][3], attrs(250, 'web-1'));
  assert.deepEqual(rows[1][3], attrs(250, 'web-2'));
  assert.deepEqual(rows[2][3], { ...attrs(500, 'web-1'), labels: { app: 'web', 'pod-template-hash': 'abc12', tier: 'front' } });
});

test('volumes: a provisioned PV is metered with its class type, reopened on resize, closed on deletion; a static PV is not', async () => {
  const t = await createTestStore();
  const t0 = t.clock.now();
  await t.store.create(t.clusterId, 'storageclasses.storage.k8s.io', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'gp3' },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3' },
  });
  const pv = (name: string, size: string, annotations: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations },
    spec: { capacity: { storage: size }, storageClassName: 'gp3', claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data' } },
    status: { phase: 'Bound' },
  });
  await t.store.create(t.clusterId, 'persistentvolumes', pv('pvc-1', '20Gi', { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' }));
  await t.store.create(t.clusterId, 'persistentvolumes', pv('static', '50Gi', {}));
  t.clock.advance(30 * MIN);
  // Status churn changes nothing; removing the provisioner's annotation does not stop billing.
  await patch(t, 'persistentvolumes', '', 'pvc-1', (v) => (v.status = { phase: 'Released' }));
  await patch(t, 'persistentvolumes', '', 'pvc-1', (v) => (v.metadata.annotations = {}));
  await patch(t, 'persistentvolumes', '', 'pvc-1', (v) => (v.spec.capacity.storage = '40Gi'));
  await patch(t, 'persistentvolumes', '', 'static', (v) => (v.spec.capacity.storage = '60Gi'));
  t.clock.advance(30 * MIN);
  await t.store.delete(t.clusterId, 'persistentvolumes', '', 'pvc-1');
  await t.store.delete(t.clusterId, 'persistentvolumes', '', 'static');

  const attrs = (gib: number) => ({ sizeBytes: gib * GiB, storageClass: 'gp3', volumeType: 'gp3', claimNamespace: 'default', claimName: 'data' });
  assert.deepEqual(await intervals(t, 'volume', t0), [
    ['pvc-1', 0, 30, attrs(20)],
    ['pvc-1', 30, 60, attrs(40)],
  ]);
});

test('load balancers: billed while a LoadBalancer Service has an address; losing it or the Service stops billing', async () => {
  const t = await createTestStore();
  const t0 = t.clock.now();
  const svc = (name: string, type: string, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { type, ports: [{ port: 80 }], ...extra },
  });
  const ingress = { loadBalancer: { ingress: [{ hostname: 'a1.elb.amazonaws.com' }] } };
  await t.store.create(t.clusterId, 'services', svc('web', 'LoadBalancer'));
  await t.store.create(t.clusterId, 'services', svc('internal', 'ClusterIP'));
  await t.store.create(t.clusterId, 'services', svc('metal', 'LoadBalancer', { loadBalancerClass: 'example.com/metal' }));
  t.clock.advance(1 * MIN);
  await patch(t, 'services', 'default', 'web', (s) => (s.status = ingress));
  await patch(t, 'services', 'default', 'metal', (s) => (s.status = ingress));
  await patch(t, 'services', 'default', 'internal', (s) => (s.status = ingress));
  t.clock.advance(9 * MIN);
  await patch(t, 'services', 'default', 'web', (s) => (s.status = { loadBalancer: {} }));
  t.clock.advance(5 * MIN);
  await patch(t, 'services', 'default', 'web', (s) => (s.status = ingress));
  t.clock.advance(5 * MIN);
  await t.store.delete(t.clusterId, 'services', 'default', 'web');

  const attrs = { namespace: 'default', name: 'web' };
  assert.deepEqual(await intervals(t, 'loadbalancer', t0), [
    ['default/web', 1, 10, attrs],
    ['default/web', 15, 20, attrs],
  ]);
});

test('two concurrent commits binding one pod open one interval (the loser recomputes on its retry)', async () => {
  const t = await createTestStore();
  // Commits of one process queue; two stores over one database race as two processes do.
  const other = new ObjectStore(t.database, t.clock);
  registerMeteringHook(other);
  const t0 = t.clock.now();
  await t.store.create(t.clusterId, 'pods', pod('race'));
  // Hold both commits after their metering ran, until both have read the same revision.
  let arrived = 0;
  let bothIn!: () => void;
  const bothInside = new Promise<void>((r) => (bothIn = r));
  let release!: () => void;
  let gate: Promise<void> | undefined = new Promise((r) => (release = r));
  let calls = 0;
  const hold = async () => {
    calls++;
    if (gate) {
      if (++arrived === 2) bothIn();
      await gate;
    }
    return [];
  };
  t.store.addWriteHook(hold);
  other.addWriteHook(hold);
  const bind = async (store: ObjectStore, label: string) => {
    const p = structuredClone((await store.get(t.clusterId, 'pods', 'default', 'race'))!);
    delete p.metadata.resourceVersion;
    p.spec.nodeName = 'n1';
    p.metadata.labels!.by = label;
    return store.update(t.clusterId, 'pods', p);
  };
  const both = Promise.all([bind(t.store, 'a'), bind(other, 'b')]);
  await bothInside;
  gate = undefined;
  release();
  await both;
  assert.equal(calls, 3, 'one commit was retried');
  assert.deepEqual(
    (await intervals(t, 'pod', t0)).map((r) => r.slice(0, 3)),
    [['default/race', 0, null]],
  );
});

test('no second open interval for a subject already metered, and nothing opens once the cluster is deleted', async () => {
  const t = await createTestStore();
  const t0 = t.clock.now();
  // An interval left open by an earlier writer (e.g. before the hook existed).
  await t.database.atomicWrite([
    openInterval(t.database.db, {
      tenantId: 'ten_test',
      clusterId: t.clusterId,
      kind: 'node',
      subject: 'n1',
      attributes: { instanceType: 'm5.large' },
      startedAt: t0,
    }),
  ]);
  t.clock.advance(MIN);
  await t.store.create(t.clusterId, 'nodes', poolNode('n1'));
  assert.deepEqual(
    (await intervals(t, 'node', t0)).map((r) => r.slice(0, 3)),
    [['n1', 0, null]],
  );

  await t.database.db.update(clusters).set({ status: 'DELETED' }).where(eq(clusters.id, t.clusterId)).run();
  await t.store.create(t.clusterId, 'nodes', poolNode('n2'));
  await t.store.create(t.clusterId, 'pods', { ...pod('late'), spec: { ...pod('late').spec, nodeName: 'n2' } });
  assert.deepEqual(
    (await intervals(t, 'node', t0)).map((r) => r[0]),
    ['n1'],
  );
  assert.deepEqual(await intervals(t, 'pod', t0), []);
});

test('an Ingress is billed like a LoadBalancer Service where it gets a load balancer of its own (EKS), not behind a shared one (AKS)', async () => {
  const ing = (name: string): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default' },
    spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
  });
  const address = { loadBalancer: { ingress: [{ hostname: 'k8s-default-web-0123456789-1234567890.us-east-1.elb.amazonaws.com' }] } };
  for (const provider of ['eks', 'aks']) {
    const t = await createTestStore({ clusterId: `cls_ing_${provider}`, provider });
    const t0 = t.clock.now();
    await t.store.create(t.clusterId, 'ingresses.networking.k8s.io', ing('web'));
    t.clock.advance(2 * MIN);
    await patch(t, 'ingresses.networking.k8s.io', 'default', 'web', (o) => (o.status = address));
    t.clock.advance(30 * MIN);
    await t.store.delete(t.clusterId, 'ingresses.networking.k8s.io', 'default', 'web');
    const expected = provider === 'eks' ? [['ingress:default/web', 2, 32, { namespace: 'default', name: 'web', kind: 'Ingress' }]] : [];
    assert.deepEqual(await intervals(t, 'loadbalancer', t0), expected, provider);
  }
});
