import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessModesContain, findBestVolume } from '../../../src/storage/matching.ts';
import { defaultClass, defaultStorageClasses } from '../../../src/storage/classes.ts';
import { provisionedVolume } from '../../../src/storage/provision.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const pv = (name: string, size: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, labels },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'slow', ...extra },
  status: { phase: 'Available' },
});
const pvc = (size: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default', uid: 'claim-uid' },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'slow', resources: { requests: { storage: size } }, ...extra },
});
const node = (zone: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: `n-${zone}`, labels: { 'topology.kubernetes.io/zone': zone } },
});

test('access modes: the volume must offer every mode the claim asks for', () => {
  assert.equal(accessModesContain(['ReadWriteOnce', 'ReadOnlyMany'], ['ReadOnlyMany']), true);
  assert.equal(accessModesContain(['ReadWriteOnce'], ['ReadWriteOnce', 'ReadOnlyMany']), false);
  assert.equal(accessModesContain(['ReadWriteMany'], ['ReadWriteOncePod']), false);
});

test('the smallest volume that fits wins; too small, other class, or claimed volumes are skipped', () => {
  const pvs = [
    pv('big', '100Gi'),
    pv('small', '5Gi'),
    pv('fits', '30Gi'),
    pv('other-class', '26Gi', { storageClassName: 'fast' }),
    pv('claimed', '25Gi', { claimRef: { namespace: 'x', name: 'y', uid: 'u' } }),
  ];
  assert.equal(findBestVolume(pvc('25Gi'), pvs)?.metadata.name, 'fits');
  assert.equal(findBestVolume(pvc('200Gi'), pvs), undefined);
  // 25Gi is 26843545600 bytes; "26843545600" as a plain number fits exactly.
  assert.equal(findBestVolume(pvc('25Gi'), [pv('exact', '26843545600')])?.metadata.name, 'exact');
});

test('a volume pre-bound to the claim is chosen first; Released volumes are never reused', () => {
  const pvs = [
    pv('cheap', '10Gi'),
    pv('mine', '50Gi', { claimRef: { namespace: 'default', name: 'data' } }),
    { ...pv('old', '10Gi'), status: { phase: 'Released' } },
  ];
  assert.equal(findBestVolume(pvc('10Gi'), pvs)?.metadata.name, 'mine');
  assert.equal(findBestVolume(pvc('10Gi'), [pvs[2]]), undefined);
});

test('selectors, volume modes, classless claims and node affinity', () => {
  const labelled = [pv('a', '10Gi', {}, { tier: 'gold' }), pv('b', '10Gi', {}, { tier: 'silver' })];
  assert.equal(findBestVolume(pvc('1Gi', { selector: { matchLabels: { tier: 'silver' } } }), labelled)?.metadata.name, 'b');
  assert.equal(findBestVolume(pvc('1Gi', { volumeMode: 'Block' }), labelled), undefined);
  assert.equal(findBestVolume(pvc('1Gi', { storageClassName: '' }), [pv('none', '10Gi', { storageClassName: '' }), ...labelled])?.metadata.name, 'none');
  const zoned = pv('z', '10Gi', {
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1b'] }] }] } },
  });
  assert.equal(findBestVolume(pvc('1Gi'), [zoned], node('us-east-1a')), undefined);
  assert.equal(findBestVolume(pvc('1Gi'), [zoned], node('us-east-1b'))?.metadata.name, 'z');
});

test('default StorageClasses per provider', () => {
  const summary = (p: string) =>
    defaultStorageClasses(p).map((c) => `${c.metadata.name}:${c.provisioner}:${c.volumeBindingMode}${defaultClass([c]) ? ':default' : ''}`);
  assert.deepEqual(summary('eks')[0], 'gp3:ebs.csi.aws.com:WaitForFirstConsumer:default');
  assert.deepEqual(summary('gke')[0], 'standard-rwo:pd.csi.storage.gke.io:WaitForFirstConsumer:default');
  assert.deepEqual(summary('aks')[0], 'managed-csi:disk.csi.azure.com:WaitForFirstConsumer:default');
  for (const p of ['eks', 'gke', 'aks']) {
    assert.equal(defaultStorageClasses(p).filter((c) => defaultClass([c])).length, 1, `${p} has exactly one default`);
    assert.equal(defaultClass(defaultStorageClasses(p))!.reclaimPolicy, 'Delete');
  }
});

test('a provisioned volume: pvc-<uid>, rounded up to whole GiB, bound to its claim, pinned to its zone', () => {
  const sc = defaultStorageClasses('eks')[0];
  const v = provisionedVolume(pvc('1500Mi', { storageClassName: 'gp3' }), sc, 'us-east-1c', 'cls_x');
  assert.equal(v.metadata.name, 'pvc-claim-uid');
  assert.equal(v.spec.capacity.storage, '2Gi');
  assert.equal(v.spec.persistentVolumeReclaimPolicy, 'Delete');
  assert.deepEqual([v.spec.claimRef.name, v.spec.claimRef.uid], ['data', 'claim-uid']);
  assert.match(v.spec.csi.volumeHandle, /^vol-0[0-9a-f]{16}$/);
  assert.deepEqual(v.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values, ['us-east-1c']);
  assert.equal(v.metadata.annotations!['pv.kubernetes.io/provisioned-by'], 'ebs.csi.aws.com');
  const legacy = provisionedVolume(
    pvc('25Gi'),
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'slow' }, provisioner: 'kubernetes.io/gce-pd', reclaimPolicy: 'Retain' },
    'us-central1-a',
    'cls_x',
  );
  assert.equal(legacy.spec.csi.driver, 'pd.csi.storage.gke.io');
  assert.equal(legacy.spec.persistentVolumeReclaimPolicy, 'Retain');
  assert.equal(legacy.spec.csi.volumeHandle, 'projects/kates-cls-x/zones/us-central1-a/disks/pvc-claim-uid');
});
