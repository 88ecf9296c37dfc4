import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { loadExample, node, resourceOf, world } from '../kubelet/world.ts';
import { persistentVolumeController } from '../../src/storage/controller.ts';
import { defaultStorageClasses } from '../../src/storage/classes.ts';
import { kubeletController } from '../../src/kubelet/controller.ts';
import { nodeHeartbeatController } from '../../src/kubelet/node-heartbeat.ts';
import { endpointsController } from '../../src/network/endpoints-controller.ts';
import { serviceController } from '../../src/network/service-controller.ts';
import { allocateServiceAddresses } from '../../src/kube/service-addresses/allocate.ts';
import { resolveDns } from '../../src/network/dns.ts';
import { schedulerController } from '../../src/controllers/scheduler.ts';
import { statefulSetController } from '../../src/controllers/statefulset/controller.ts';
import { requestDeletion } from '../../src/kube/deletion.ts';
import { usageIntervals } from '../../src/store/schema/index.ts';
import type { KubeObject } from '../../src/kube/types.ts';

type W = Awaited<ReturnType<typeof world>>;
const controllers = [
  statefulSetController,
  schedulerController,
  persistentVolumeController,
  nodeHeartbeatController,
  kubeletController,
  endpointsController,
  serviceController,
];

async function cluster(opts: { clusterId?: string; provider?: string } = {}): Promise<W> {
  const w = await world(opts);
  await w.create('nodes', node('node-a', 'us-east-1a'));
  await w.create('nodes', node('node-b', 'us-east-1b'));
  await w.settle(controllers);
  return w;
}

/** What `kubectl apply -f` does for these kinds (Services go through the allocator). */
async function apply(w: W, objects: KubeObject[]): Promise<void> {
  for (const o of objects) {
    if (o.kind === 'Service') {
      const { service, ops } = await allocateServiceAddresses(w.store, w.clusterId, o);
      await w.store.commit(w.clusterId, [...ops, { op: 'create', resource: 'services', object: service }]);
    } else await w.create(resourceOf[o.kind], o);
  }
}

const volumeIntervals = (w: W) => w.store.database.db.select().from(usageIntervals).where(eq(usageIntervals.kind, 'volume')).all();

test("pv-ticket (storageclass-slow.yaml) on EKS: no gce-pd provisioner there, so the claim stays Pending with upstream's event", async () => {
  const w = await cluster();
  await apply(w, loadExample('storageclass-slow.yaml'));
  await w.run(controllers, 20_000, 2000);
  const claim = (await w.get('persistentvolumeclaims', 'default', 'pv-ticket'))!;
  assert.equal(claim.status.phase, 'Pending');
  assert.equal(claim.spec.volumeName, undefined);
  assert.equal(claim.metadata.annotations!['volume.kubernetes.io/storage-provisioner'], 'pd.csi.storage.gke.io');
  assert.deepEqual(await w.events('pv-ticket'), [
    "ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'pd.csi.storage.gke.io' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
  ]);
  assert.equal((await w.get('pods', 'default', 'class-pod'))!.status?.phase ?? 'Pending', 'Pending');
  assert.equal((await volumeIntervals(w)).length, 0, 'nothing provisioned, nothing billed');
});

test('pv-ticket (storageclass-slow.yaml) on GKE: an Immediate class provisions 25Gi at once, the pod runs, Retain keeps the volume', async () => {
  const w = await cluster({ clusterId: 'cls_gke', provider: 'gke' });
  await apply(w, loadExample('storageclass-slow.yaml'));
  await w.run(controllers, 20_000, 2000);
  const claim = (await w.get('persistentvolumeclaims', 'default', 'pv-ticket'))!;
  assert.equal(claim.status.phase, 'Bound');
  assert.equal(claim.spec.volumeName, `pvc-${claim.metadata.uid}`);
  assert.deepEqual(claim.status.capacity, { storage: '25Gi' });
  assert.deepEqual(claim.status.accessModes, ['ReadWriteOnce']);
  assert.equal(claim.metadata.annotations!['volume.kubernetes.io/storage-provisioner'], 'kubernetes.io/gce-pd');
  assert.deepEqual(claim.metadata.finalizers, ['kubernetes.io/pvc-protection']);
  const pv = (await w.get('persistentvolumes', '', claim.spec.volumeName))!;
  assert.equal(pv.status.phase, 'Bound');
  assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain');
  assert.deepEqual(pv.spec.claimRef.name, 'pv-ticket');
  const pod = (await w.get('pods', 'default', 'class-pod'))!;
  assert.equal(pod.status.phase, 'Running');
  const events = await w.events('pv-ticket');
  assert.ok(events.includes(`ProvisioningSucceeded: Successfully provisioned volume ${pv.metadata.name}`));
  const [interval] = await volumeIntervals(w);
  assert.equal(interval.subject, pv.metadata.name);
  assert.equal(JSON.parse(interval.attributes).sizeBytes, 25 * 1024 ** 3);
  assert.equal(JSON.parse(interval.attributes).storageClass, 'slow');

  // Deleting the claim waits for its pod (pvc-protection), then the volume is Released and kept.
  await requestDeletion(w.store, w.clusterId, 'persistentvolumeclaims', 'default', 'pv-ticket');
  await w.settle(controllers);
  assert.ok((await w.get('persistentvolumeclaims', 'default', 'pv-ticket'))!.metadata.deletionTimestamp, 'still in use by class-pod');
  await requestDeletion(w.store, w.clusterId, 'pods', 'default', 'class-pod');
  await w.run(controllers, 5000);
  assert.equal(await w.get('persistentvolumeclaims', 'default', 'pv-ticket'), undefined);
  assert.equal((await w.get('persistentvolumes', '', pv.metadata.name!))!.status.phase, 'Released');
  assert.equal((await volumeIntervals(w))[0].endedAt, null, 'a retained disk is still billed');
});

test("volpod.yaml: a claim without class gets the default (gp3, WaitForFirstConsumer) and is provisioned in the pod's zone", async () => {
  const w = await cluster();
  await apply(w, defaultStorageClasses('eks'));
  await apply(w, loadExample('volpod.yaml'));
  await w.settle(controllers);
  const early = (await w.get('persistentvolumeclaims', 'default', 'pvc1'))!;
  assert.equal(early.spec.storageClassName, 'gp3', 'the default class is assigned');
  await w.run(controllers, 20_000, 2000);
  const claim = (await w.get('persistentvolumeclaims', 'default', 'pvc1'))!;
  const pod = (await w.get('pods', 'default', 'volpod'))!;
  assert.equal(claim.status.phase, 'Bound');
  assert.equal(pod.status.phase, 'Running');
  const pv = (await w.get('persistentvolumes', '', claim.spec.volumeName))!;
  const zone = pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0];
  const podNode = (await w.get('nodes', '', pod.spec.nodeName))!;
  assert.equal(zone, podNode.metadata.labels!['topology.kubernetes.io/zone']);
  assert.equal(claim.metadata.annotations!['volume.kubernetes.io/selected-node'], pod.spec.nodeName);
});

test('tkb-sts.yaml: three claims of class flash bound and kept across pod replacement; DNS names resolve', async () => {
  const w = await cluster();
  await apply(w, loadExample('tkb-sts.yaml'));
  await w.run(controllers, 60_000, 2000);
  const pods = (await w.list('pods', 'default')).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  assert.deepEqual(
    pods.map((p) => `${p.metadata.name}:${p.status.phase}`),
    ['tkb-sts-0:Running', 'tkb-sts-1:Running', 'tkb-sts-2:Running'],
  );
  const claims = (await w.list('persistentvolumeclaims', 'default')).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  assert.deepEqual(
    claims.map((c) => `${c.metadata.name}:${c.status.phase}:${c.spec.storageClassName}:${c.status.capacity.storage}`),
    ['webroot-tkb-sts-0:Bound:flash:1Gi', 'webroot-tkb-sts-1:Bound:flash:1Gi', 'webroot-tkb-sts-2:Bound:flash:1Gi'],
  );
  const volumeOf1 = claims[1].spec.volumeName;

  const web0 = await resolveDns(w.store, w.clusterId, 'tkb-sts-0.dullahan.default.svc.cluster.local');
  assert.deepEqual(
    web0.answers.map((a) => `${a.type} ${a.data}`),
    [`A ${pods[0].status.podIP}`],
  );
  const all = await resolveDns(w.store, w.clusterId, 'dullahan', { namespace: 'default', type: 'A' });
  assert.equal(all.name, 'dullahan.default.svc.cluster.local');
  assert.deepEqual(all.answers.map((a) => a.data).sort(), pods.map((p) => p.status.podIP).sort());
  const srv = await resolveDns(w.store, w.clusterId, '_web._tcp.dullahan.default.svc.cluster.local');
  assert.ok(
    srv.answers.some((a) => a.data === '0 33 80 tkb-sts-1.dullahan.default.svc.cluster.local'),
    JSON.stringify(srv.answers),
  );

  await requestDeletion(w.store, w.clusterId, 'pods', 'default', 'tkb-sts-1');
  await w.run(controllers, 30_000, 2000);
  const again = (await w.get('pods', 'default', 'tkb-sts-1'))!;
  assert.notEqual(again.metadata.uid, pods[1].metadata.uid, 'a new pod');
  assert.equal(again.status.phase, 'Running');
  assert.equal((await w.get('persistentvolumeclaims', 'default', 'webroot-tkb-sts-1'))!.spec.volumeName, volumeOf1, 'same volume kept');
  assert.equal((await w.list('persistentvolumes')).length, 3);
});

test('a deleted claim of a Delete class takes its volume with it and stops its billing', async () => {
  const w = await cluster({ clusterId: 'cls_gke', provider: 'gke' });
  await apply(w, defaultStorageClasses('gke'));
  await apply(w, [
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'now' }, provisioner: 'pd.csi.storage.gke.io', volumeBindingMode: 'Immediate' },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'scratch', namespace: 'default' },
      spec: { storageClassName: 'now', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    },
  ]);
  await w.settle(controllers);
  const pvName = (await w.get('persistentvolumeclaims', 'default', 'scratch'))!.spec.volumeName;
  assert.equal((await w.get('persistentvolumes', '', pvName))!.spec.persistentVolumeReclaimPolicy, 'Delete');
  w.clock.advance(7_200_000);
  await requestDeletion(w.store, w.clusterId, 'persistentvolumeclaims', 'default', 'scratch');
  await w.settle(controllers);
  assert.equal(await w.get('persistentvolumes', '', pvName), undefined);
  const [interval] = await volumeIntervals(w);
  assert.equal(interval.endedAt! - interval.startedAt, 7_200_000, 'two hours of disk');
});

test('static volumes: a claim binds the smallest fitting PV; a deleted claim leaves it Released under Retain', async () => {
  const w = await cluster();
  const staticPv = (name: string, size: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
      storageClassName: '',
      persistentVolumeReclaimPolicy: 'Retain',
      hostPath: { path: `/data/${name}` },
    },
  });
  await apply(w, [staticPv('pv-50', '50Gi'), staticPv('pv-20', '20Gi'), staticPv('pv-5', '5Gi')]);
  await apply(w, [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'want-10', namespace: 'default' },
      spec: { storageClassName: '', accessModes: ['ReadOnlyMany'], resources: { requests: { storage: '10Gi' } } },
    },
  ]);
  await w.settle(controllers);
  const phases = async () => Object.fromEntries((await w.list('persistentvolumes')).map((p) => [p.metadata.name, p.status.phase]));
  assert.deepEqual(await phases(), { 'pv-20': 'Bound', 'pv-5': 'Available', 'pv-50': 'Available' });
  const claim = (await w.get('persistentvolumeclaims', 'default', 'want-10'))!;
  assert.deepEqual(claim.status.capacity, { storage: '20Gi' }, "capacity is the volume's, not the request");
  assert.equal(claim.metadata.annotations!['pv.kubernetes.io/bind-completed'], 'yes');
  await requestDeletion(w.store, w.clusterId, 'persistentvolumeclaims', 'default', 'want-10');
  await w.settle(controllers);
  assert.deepEqual(await phases(), { 'pv-20': 'Released', 'pv-5': 'Available', 'pv-50': 'Available' });
  // A new claim does not get the Released volume.
  await apply(w, [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'again', namespace: 'default' },
      spec: { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    },
  ]);
  await w.settle(controllers);
  assert.equal((await w.get('persistentvolumeclaims', 'default', 'again'))!.spec.volumeName, 'pv-50');
  assert.equal((await volumeIntervals(w)).length, 0, 'pre-existing disks are not billed by kates');
});

test('cmvol.yaml: the ConfigMap mounts and the pod runs', async () => {
  const w = await cluster();
  await apply(w, loadExample('cmvol.yaml'));
  await w.run(controllers, 20_000, 2000);
  assert.equal((await w.get('pods', 'default', 'cmvol'))!.status.phase, 'Running');
  assert.deepEqual(
    (await w.events('cmvol')).filter((e) => e.startsWith('FailedMount')),
    [],
  );
});
