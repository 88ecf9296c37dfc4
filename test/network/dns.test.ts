import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore } from '../helpers/store.ts';
import { resolveDns } from '../../src/network/dns.ts';
import type { KubeObject } from '../../src/kube/types.ts';

async function setup() {
  const t = await createTestStore();
  const create = (resource: string, o: KubeObject) => t.store.create(t.clusterId, resource, o);
  await create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { clusterIP: '10.96.12.34', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { port: 9090 }] },
  });
  await create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db', namespace: 'shop' },
    spec: { type: 'ExternalName', externalName: 'db.example.com' },
  });
  await create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default' },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] },
  });
  await create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'peers', namespace: 'shop' },
    spec: { clusterIP: 'None', ports: [{ name: 'gossip', port: 7000, protocol: 'UDP' }] },
  });
  await create('endpointslices.discovery.k8s.io', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'peers-abcde', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'peers' } },
    addressType: 'IPv4',
    ports: [{ name: 'gossip', port: 7000, protocol: 'UDP' }],
    endpoints: [
      { addresses: ['10.244.0.7'], hostname: 'peer-0', conditions: { ready: true } },
      { addresses: ['10.244.1.9'], conditions: { ready: true } },
      { addresses: ['10.244.2.3'], hostname: 'peer-2', conditions: { ready: false } },
    ],
  });
  await create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: {}, status: { podIP: '10.244.1.9' } });
  return t;
}

test('a ClusterIP Service answers its ClusterIP; named ports have SRV records', async () => {
  const { store, clusterId } = await setup();
  const a = await resolveDns(store, clusterId, 'web.shop.svc.cluster.local', { type: 'A' });
  assert.deepEqual(a, {
    name: 'web.shop.svc.cluster.local',
    type: 'A',
    status: 'NOERROR',
    answers: [{ name: 'web.shop.svc.cluster.local', type: 'A', ttl: 30, data: '10.96.12.34' }],
  });
  const srv = await resolveDns(store, clusterId, '_http._tcp.web.shop.svc.cluster.local');
  assert.deepEqual(
    srv.answers.map((r) => `${r.type} ${r.data}`),
    ['SRV 0 100 80 web.shop.svc.cluster.local'],
  );
  assert.equal((await resolveDns(store, clusterId, '_http._udp.web.shop.svc.cluster.local')).status, 'NXDOMAIN');
});

test('ExternalName is a CNAME; unknown names are NXDOMAIN', async () => {
  const { store, clusterId } = await setup();
  const c = await resolveDns(store, clusterId, 'db.shop.svc.cluster.local.');
  assert.deepEqual(c.answers, [{ name: 'db.shop.svc.cluster.local', type: 'CNAME', ttl: 30, data: 'db.example.com' }]);
  assert.equal((await resolveDns(store, clusterId, 'nope.shop.svc.cluster.local')).status, 'NXDOMAIN');
  assert.equal((await resolveDns(store, clusterId, 'example.com')).status, 'NXDOMAIN');
});

test('headless: ready endpoints only, per-endpoint names by hostname or dashed IP, SRV per endpoint', async () => {
  const { store, clusterId } = await setup();
  const all = await resolveDns(store, clusterId, 'peers.shop.svc.cluster.local', { type: 'A' });
  assert.deepEqual(
    all.answers.map((r) => r.data),
    ['10.244.0.7', '10.244.1.9'],
  );
  assert.deepEqual(
    (await resolveDns(store, clusterId, 'peer-0.peers.shop.svc.cluster.local')).answers.map((r) => r.data),
    ['10.244.0.7'],
  );
  assert.deepEqual(
    (await resolveDns(store, clusterId, '10-244-1-9.peers.shop.svc.cluster.local')).answers.map((r) => r.data),
    ['10.244.1.9'],
  );
  assert.equal((await resolveDns(store, clusterId, 'peer-2.peers.shop.svc.cluster.local')).status, 'NXDOMAIN', 'not ready');
  const srv = await resolveDns(store, clusterId, '_gossip._udp.peers.shop.svc.cluster.local');
  assert.deepEqual(
    srv.answers.map((r) => r.data),
    ['0 50 7000 peer-0.peers.shop.svc.cluster.local', '0 50 7000 10-244-1-9.peers.shop.svc.cluster.local'],
  );
});

test('pod A records and the search path of a pod namespace', async () => {
  const { store, clusterId } = await setup();
  assert.deepEqual(
    (await resolveDns(store, clusterId, '10-244-1-9.shop.pod.cluster.local')).answers.map((r) => r.data),
    ['10.244.1.9'],
  );
  assert.equal((await resolveDns(store, clusterId, '10-244-1-99.shop.pod.cluster.local')).status, 'NXDOMAIN');
  const short = await resolveDns(store, clusterId, 'web', { namespace: 'shop', type: 'A' });
  assert.equal(short.name, 'web.shop.svc.cluster.local');
  const other = await resolveDns(store, clusterId, 'kubernetes.default', { namespace: 'shop', type: 'A' });
  assert.deepEqual([other.name, other.answers[0].data], ['kubernetes.default.svc.cluster.local', '10.96.0.1']);
});
