import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types.ts';
import { volumeBinding } from '../../../src/scheduler/plugins/volume-binding.ts';
import { volumeRestrictions } from '../../../src/scheduler/plugins/volume-restrictions.ts';
import { volumeZone } from '../../../src/scheduler/plugins/volume-zone.ts';
import { node, pod, runFilter, snap } from './fixtures.ts';

const pvc = (name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default', uid: `pvc-${name}`, ...(annotations ? { annotations } : {}) },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const pv = (name: string, spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, ...(labels ? { labels } : {}) },
  spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' }, ...spec },
});
const sc = (name: string, mode: string, provisioner = 'ebs.csi.aws.com', extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name },
  provisioner,
  volumeBindingMode: mode,
  ...extra,
});
const user = (claim: string, nodeName?: string) =>
  pod(`user-${claim}-${nodeName ?? 'x'}`, { nodeName, spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] } });
const localAffinity = (host: string) => ({
  required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [host] }] }] },
});

test('PreFilter: a missing claim and an unbound Immediate claim reject the pod outright', () => {
  const s = snap([node('a')], [], { pvcs: [pvc('pending', { storageClassName: 'fast' })], storageClasses: [sc('fast', 'Immediate')] });
  assert.deepEqual(runFilter(volumeBinding, user('nope'), 'a', s), {
    code: 'UnschedulableAndUnresolvable',
    reasons: ['persistentvolumeclaim "nope" not found'],
  });
  assert.deepEqual(runFilter(volumeBinding, user('pending'), 'a', s), {
    code: 'UnschedulableAndUnresolvable',
    reasons: ['pod has unbound immediate PersistentVolumeClaims'],
  });
  assert.equal(runFilter(volumeBinding, pod('novol'), 'a', s), 'skip');
});

test('a bound PV with node affinity only fits its node', () => {
  const s = snap([node('a'), node('b')], [], { pvcs: [pvc('data', { volumeName: 'local-a' })], pvs: [pv('local-a', { nodeAffinity: localAffinity('a') })] });
  assert.equal(runFilter(volumeBinding, user('data'), 'a', s), null);
  assert.deepEqual(runFilter(volumeBinding, user('data'), 'b', s), {
    code: 'UnschedulableAndUnresolvable',
    reasons: ['node(s) had volume node affinity conflict'],
  });
});

test('WaitForFirstConsumer: fits where a matching PV is available or the class can provision', () => {
  const local = sc('local', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner');
  const s = snap([node('a'), node('b')], [], {
    pvcs: [
      pvc('data', { storageClassName: 'local' }),
      pvc('big', { storageClassName: 'local', resources: { requests: { storage: '50Gi' } } }),
      pvc('dyn', { storageClassName: 'zonal' }),
    ],
    pvs: [pv('local-a', { storageClassName: 'local', nodeAffinity: localAffinity('a') })],
    storageClasses: [
      local,
      sc('zonal', 'WaitForFirstConsumer', 'ebs.csi.aws.com', {
        allowedTopologies: [{ matchLabelExpressions: [{ key: 'kubernetes.io/hostname', values: ['b'] }] }],
      }),
    ],
  });
  const BIND = { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't find available persistent volumes to bind"] };
  assert.equal(runFilter(volumeBinding, user('data'), 'a', s), null);
  assert.deepEqual(runFilter(volumeBinding, user('data'), 'b', s), BIND);
  assert.deepEqual(runFilter(volumeBinding, user('big'), 'a', s), BIND, 'the only PV is too small');
  assert.equal(runFilter(volumeBinding, user('dyn'), 'b', s), null);
  assert.deepEqual(runFilter(volumeBinding, user('dyn'), 'a', s), BIND, 'allowedTopologies exclude node a');
});

test('VolumeZone: a zone-labelled PV only fits nodes in one of its zones', () => {
  const zone = 'topology.kubernetes.io/zone';
  const s = snap([node('a', { labels: { [zone]: 'us-east-1a' } }), node('c', { labels: { [zone]: 'us-east-1c' } })], [], {
    pvcs: [pvc('data', { volumeName: 'ebs' })],
    pvs: [pv('ebs', {}, { [zone]: 'us-east-1a__us-east-1b' })],
  });
  assert.equal(runFilter(volumeZone, user('data'), 'a', s), null);
  assert.deepEqual(runFilter(volumeZone, user('data'), 'c', s), { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had no available volume zone'] });
});

test('VolumeRestrictions: a ReadWriteOncePod claim in use anywhere blocks the pod on every node', () => {
  const claims = [pvc('solo', { accessModes: ['ReadWriteOncePod'], volumeName: 'v' }), pvc('shared', { volumeName: 'w' })];
  const s = snap([node('a'), node('b')], [user('solo', 'a'), user('shared', 'a')], { pvcs: claims });
  const RWOP = { code: 'Unschedulable', reasons: ['node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode'] };
  assert.deepEqual(runFilter(volumeRestrictions, user('solo'), 'b', s), RWOP);
  assert.equal(runFilter(volumeRestrictions, user('shared'), 'b', s), 'skip');
  assert.equal(runFilter(volumeRestrictions, user('solo'), 'b', snap([node('a'), node('b')], [], { pvcs: claims })), null);
});
