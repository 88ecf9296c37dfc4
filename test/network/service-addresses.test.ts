import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore } from '../helpers/store.ts';
import { allocateServiceAddresses } from '../../src/kube/service-addresses/allocate.ts';
import { InvalidObjectError } from '../../src/kube/service-addresses/errors.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import type { ObjectStore } from '../../src/store/objects.ts';

const svc = (name: string, spec: Record<string, unknown> = {}, namespace = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { selector: { app: name }, ports: [{ port: 80, protocol: 'TCP' }], ...spec },
});

/** What the Kubernetes API does: allocate, then commit the service with its reservations. */
async function create(store: ObjectStore, clusterId: string, s: KubeObject) {
  const { service, ops } = await allocateServiceAddresses(store, clusterId, s);
  await store.commit(clusterId, [...ops, { op: 'create', resource: 'services', object: service }]);
  return service;
}

test('the kubernetes service gets 10.96.0.1 and others get distinct addresses from the range', async () => {
  const { store, clusterId } = await createTestStore();
  const k = await create(store, clusterId, svc('kubernetes', { selector: undefined, ports: [{ port: 443, name: 'https' }] }));
  assert.equal(k.spec.clusterIP, '10.96.0.1');
  assert.deepEqual(k.spec.clusterIPs, ['10.96.0.1']);
  const ips = new Set<string>();
  for (let i = 0; i < 40; i++) {
    const s = await create(store, clusterId, svc(`s${i}`));
    assert.match(s.spec.clusterIP, /^10\.(9[6-9]|10\d|11[01])\./);
    ips.add(s.spec.clusterIP);
  }
  assert.equal(ips.size, 40);
  assert.ok(!ips.has('10.96.0.1'));
});

test('a requested ClusterIP that is taken or out of range is a 422 with the Kubernetes message', async () => {
  const { store, clusterId } = await createTestStore();
  await create(store, clusterId, svc('a', { clusterIP: '10.96.0.50' }));
  await assert.rejects(allocateServiceAddresses(store, clusterId, svc('b', { clusterIP: '10.96.0.50' })), (e: InvalidObjectError) => {
    assert.equal(e.code, 422);
    assert.equal(
      e.message,
      'Service "b" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.50"]: failed to allocate IP 10.96.0.50: provided IP is already allocated',
    );
    assert.deepEqual(
      e.causes.map((c) => c.field),
      ['spec.clusterIPs'],
    );
    return true;
  });
  await assert.rejects(
    allocateServiceAddresses(store, clusterId, svc('c', { clusterIP: '192.168.1.1' })),
    /provided IP is not in the valid range. The range of valid IPs is 10.96.0.0\/12/,
  );
});

test('node ports: random in range, requested when free, 422 when taken or out of range', async () => {
  const { store, clusterId } = await createTestStore();
  const a = await create(
    store,
    clusterId,
    svc('a', {
      type: 'NodePort',
      ports: [
        { port: 80, nodePort: 30080 },
        { port: 443, name: 'https' },
      ],
    }),
  );
  assert.equal(a.spec.ports[0].nodePort, 30080);
  const random = a.spec.ports[1].nodePort;
  assert.ok(random >= 30086 && random <= 32767, `dynamic port ${random} is above the static band`);
  await assert.rejects(
    allocateServiceAddresses(store, clusterId, svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })),
    (e: InvalidObjectError) => {
      assert.equal(e.message, 'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
      assert.deepEqual(e.causes, [
        { reason: 'FieldValueInvalid', field: 'spec.ports[0].nodePort', message: 'Invalid value: 30080: provided port is already allocated' },
      ]);
      return true;
    },
  );
  await assert.rejects(
    allocateServiceAddresses(store, clusterId, svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] })),
    /spec.ports\[0\].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767/,
  );
});

test('an update keeps held values, a ClusterIP cannot change, and switching to ClusterIP releases node ports', async () => {
  const { store, clusterId } = await createTestStore();
  const a = await create(store, clusterId, svc('a', { type: 'NodePort' }));
  const stored = await store.mustGet(clusterId, 'services', 'default', 'a');
  // kubectl apply sends the spec without nodePort: the old one is kept.
  const { service: same } = await allocateServiceAddresses(
    store,
    clusterId,
    { ...stored, spec: { ...stored.spec, clusterIP: undefined, clusterIPs: undefined, ports: [{ port: 80, protocol: 'TCP' }] } },
    stored,
  );
  assert.equal(same.spec.ports[0].nodePort, a.spec.ports[0].nodePort);
  assert.equal(same.spec.clusterIP, a.spec.clusterIP);
  await assert.rejects(
    allocateServiceAddresses(store, clusterId, { ...stored, spec: { ...stored.spec, clusterIP: '10.96.0.77' } }, stored),
    /may not change once set/,
  );

  const { service, ops } = await allocateServiceAddresses(store, clusterId, { ...stored, spec: { ...stored.spec, type: 'ClusterIP' } }, stored);
  assert.equal(service.spec.ports[0].nodePort, undefined);
  await store.commit(clusterId, [...ops, { op: 'update', resource: 'services', object: service }]);
  const freed = await create(store, clusterId, svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: a.spec.ports[0].nodePort }] }));
  assert.equal(freed.spec.ports[0].nodePort, a.spec.ports[0].nodePort);
});

test('addresses of a deleted service are free again at once', async () => {
  const { store, clusterId } = await createTestStore();
  await create(store, clusterId, svc('a', { clusterIP: '10.96.0.20', type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] }));
  await store.delete(clusterId, 'services', 'default', 'a');
  const again = await create(store, clusterId, svc('b', { clusterIP: '10.96.0.20', type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] }));
  assert.equal(again.spec.clusterIP, '10.96.0.20');
  const reservation = await store.mustGet(clusterId, 'ipaddresses.networking.k8s.io', '', '10.96.0.20');
  assert.equal(reservation.spec.parentRef.name, 'b');
});

test('two services racing for one address: the second commit fails instead of duplicating it', async () => {
  const { store, clusterId } = await createTestStore();
  const one = await allocateServiceAddresses(store, clusterId, svc('a', { clusterIP: '10.96.0.30' }));
  const two = await allocateServiceAddresses(store, clusterId, svc('b', { clusterIP: '10.96.0.30' }));
  await store.commit(clusterId, [...one.ops, { op: 'create', resource: 'services', object: one.service }]);
  await assert.rejects(store.commit(clusterId, [...two.ops, { op: 'create', resource: 'services', object: two.service }]), /already exists/);
});

test('headless and ExternalName services take no address', async () => {
  const { store, clusterId } = await createTestStore();
  const h = await create(store, clusterId, svc('h', { clusterIP: 'None' }));
  assert.deepEqual(h.spec.clusterIPs, ['None']);
  const e = await create(store, clusterId, svc('e', { type: 'ExternalName', externalName: 'db.example.com', selector: undefined }));
  assert.equal(e.spec.clusterIP, undefined);
  assert.equal((await store.list(clusterId, 'ipaddresses.networking.k8s.io')).items.length, 0);
});

test('LoadBalancer with externalTrafficPolicy Local gets a health check node port', async () => {
  const { store, clusterId } = await createTestStore();
  const lb = await create(store, clusterId, svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
  assert.ok(lb.spec.ports[0].nodePort >= 30000);
  assert.ok(lb.spec.healthCheckNodePort >= 30000);
  assert.notEqual(lb.spec.healthCheckNodePort, lb.spec.ports[0].nodePort);
  const noPorts = await create(store, clusterId, svc('lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }));
  assert.equal(noPorts.spec.ports[0].nodePort, undefined);
});
