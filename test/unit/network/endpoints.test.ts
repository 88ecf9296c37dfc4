import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredEndpoints } from '../../../src/network/endpoints.ts';
import { reconcileSlices, sliceEndpoints } from '../../../src/network/endpoint-slices.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

type Loose = any;

const svc = (spec: Record<string, unknown> = {}, name = 'web'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', uid: `svc-${name}`, labels: { team: 'a' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], ...spec },
});

function pod(
  name: string,
  ip: string,
  opts: { ready?: boolean; terminating?: boolean; port?: number | null; labels?: Record<string, string>; phase?: string } = {},
): KubeObject {
  const ports = opts.port === null ? [] : [{ name: 'http', containerPort: opts.port ?? 8080 }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      labels: opts.labels ?? { app: 'web' },
      ...(opts.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx', ports }] },
    status: { phase: opts.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

test('Endpoints: ready pods in addresses, unready in notReadyAddresses, terminating dropped, named ports resolved per pod', () => {
  const e = desiredEndpoints(svc(), [
    pod('a', '10.244.0.5'),
    pod('b', '10.244.0.3', { ready: false }),
    pod('c', '10.244.0.9', { terminating: true }),
    pod('d', '10.244.0.7', { port: null }), // no port named http: omitted
    pod('e', '10.244.0.8', { labels: { app: 'other' } }),
    pod('f', '10.244.0.10', { phase: 'Succeeded' }),
    pod('g', '10.244.0.11', { port: 9090 }),
  ])! as Loose;
  assert.deepEqual(e.metadata.labels, { team: 'a', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' });
  assert.equal(e.subsets.length, 2, 'pods with different resolved ports form different subsets');
  const s8080 = e.subsets.find((s: { ports: { port: number }[] }) => s.ports[0].port === 8080);
  assert.deepEqual(
    s8080.addresses.map((a: { ip: string }) => a.ip),
    ['10.244.0.5'],
  );
  assert.deepEqual(
    s8080.notReadyAddresses.map((a: { ip: string }) => a.ip),
    ['10.244.0.3'],
  );
  assert.deepEqual(s8080.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(s8080.addresses[0], { ip: '10.244.0.5', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } });
});

test('Endpoints: publishNotReadyAddresses puts every candidate in addresses; no selector means unmanaged', () => {
  const e = desiredEndpoints(svc({ publishNotReadyAddresses: true }), [
    pod('a', '10.0.0.1', { ready: false }),
    pod('b', '10.0.0.2', { terminating: true }),
  ])! as Loose;
  assert.deepEqual(
    e.subsets[0].addresses.map((a: { ip: string }) => a.ip),
    ['10.0.0.1', '10.0.0.2'],
  );
  assert.equal(desiredEndpoints(svc({ selector: undefined }), [pod('a', '10.0.0.1')]), undefined);
  const empty = desiredEndpoints(svc(), [])! as Loose;
  assert.equal(empty.subsets, undefined);
});

test('Endpoints: headless service pods with hostname/subdomain get hostnames', () => {
  const headless = svc({ clusterIP: 'None', ports: [{ name: 'web', port: 80 }] }, 'dullahan');
  const p = pod('tkb-sts-0', '10.244.1.4');
  p.spec.hostname = 'tkb-sts-0';
  p.spec.subdomain = 'dullahan';
  const e = desiredEndpoints(headless, [p])! as Loose;
  assert.equal(e.subsets[0].addresses[0].hostname, 'tkb-sts-0');
  assert.equal(e.metadata.labels!['service.kubernetes.io/headless'], '');
  assert.deepEqual(e.subsets[0].ports, [{ name: 'web', port: 80, protocol: 'TCP' }]);
});

test('EndpointSlices: conditions ready/serving/terminating as Kubernetes sets them', () => {
  const groups = sliceEndpoints(
    svc(),
    [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { ready: false }), pod('c', '10.0.0.3', { terminating: true })],
    () => 'us-east-1a',
  );
  const [eps] = [...groups.values()];
  assert.deepEqual(
    eps.map((e) => [e.endpoint.targetRef?.name, e.endpoint.conditions]),
    [
      ['a', { ready: true, serving: true, terminating: false }],
      ['b', { ready: false, serving: false, terminating: false }],
      ['c', { ready: false, serving: true, terminating: true }],
    ],
  );
  assert.equal(eps[0].endpoint.zone, 'us-east-1a');
});

test('EndpointSlices: at most 100 endpoints per slice; endpoints stay where they are; a placeholder when empty', () => {
  const pods = Array.from({ length: 250 }, (_, i) => pod(`p${String(i).padStart(3, '0')}`, `10.1.${i >> 8}.${i & 255}`));
  let seq = 0;
  const random = () => (seq++ % 27) / 27;
  const ops = reconcileSlices(svc(), [], pods, () => undefined, random);
  assert.deepEqual(
    ops.map((o) => o.op),
    ['create', 'create', 'create'],
  );
  const slices = ops.map((o) => (o as { object: KubeObject }).object);
  assert.deepEqual(
    slices.map((s) => (s.endpoints as unknown[]).length),
    [100, 100, 50],
  );
  assert.equal(slices[0].metadata.labels!['kubernetes.io/service-name'], 'web');
  assert.equal(slices[0].metadata.labels!['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  assert.match(slices[0].metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(slices[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.equal(slices[0].metadata.ownerReferences![0].kind, 'Service');

  // Remove one pod of the first slice and add one: only the first slice changes.
  const stored = slices.map((s, i) => ({ ...s, metadata: { ...s.metadata, name: `web-s${i}`, uid: `u${i}` } }));
  const next = [...pods.filter((p) => p.metadata.name !== 'p000'), pod('zzz', '10.9.9.9')];
  const second = reconcileSlices(svc(), stored, next, () => undefined, random);
  assert.deepEqual(
    second.map((o) => `${o.op}:${(o as { object?: KubeObject }).object?.metadata.name}`),
    ['update:web-s0'],
  );

  const none = reconcileSlices(svc(), stored, [], () => undefined, random);
  assert.deepEqual(
    none.map((o) => o.op),
    ['update', 'delete', 'delete'],
    'one empty slice remains',
  );
});
