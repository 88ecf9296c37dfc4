import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBestEffort, nodeAllocatable, podRequests } from '../../../src/lib/resources.ts';

const c = (requests?: Record<string, string>, limits?: Record<string, string>, extra: object = {}) => ({
  name: 'c',
  image: 'x',
  resources: { requests, limits },
  ...extra,
});

test('sums app containers and takes requests from limits when only limits are set', () => {
  const r = podRequests({ spec: { containers: [c({ cpu: '100m', memory: '64Mi' }), c(undefined, { cpu: '1', 'nvidia.com/gpu': '1' })] } });
  assert.deepEqual(r, { cpu: 1100, memory: 64 * 1024 ** 2, 'nvidia.com/gpu': 1 });
});

test('an init container larger than the app containers sets the request; overhead is added', () => {
  const r = podRequests({
    spec: { initContainers: [c({ cpu: '2' })], containers: [c({ cpu: '500m', memory: '1Gi' })], overhead: { cpu: '250m', memory: '120Mi' } },
  });
  assert.deepEqual(r, { cpu: 2250, memory: 1024 ** 3 + 120 * 1024 ** 2 });
});

test('sidecars (restartPolicy Always) add to the app containers and to later init containers', () => {
  const r = podRequests({
    spec: {
      initContainers: [c({ cpu: '200m' }, undefined, { restartPolicy: 'Always' }), c({ cpu: '1' })],
      containers: [c({ cpu: '300m' })],
    },
  });
  // app: 300m + sidecar 200m = 500m; init peak: 1 + 200m sidecar = 1200m.
  assert.equal(r.cpu, 1200);
});

test('non-missing defaults give 100m / 200Mi to containers without requests', () => {
  const r = podRequests({ spec: { containers: [c(), c({ memory: '1Gi' })] } }, { nonMissing: true });
  assert.deepEqual(r, { cpu: 200, memory: 200 * 1024 ** 2 + 1024 ** 3 });
  assert.deepEqual(podRequests({ spec: { containers: [c()] } }), {});
});

test('pod-level requests replace the container sums they name', () => {
  const r = podRequests({ spec: { resources: { requests: { cpu: '2' } }, containers: [c({ cpu: '100m', memory: '1Gi' })] } });
  assert.deepEqual(r, { cpu: 2000, memory: 1024 ** 3 });
});

test('node allocatable falls back to capacity and to 110 pods', () => {
  assert.deepEqual(nodeAllocatable({ status: { capacity: { cpu: '4', memory: '16Gi' } } }), { cpu: 4000, memory: 16 * 1024 ** 3, pods: 110 });
  assert.equal(nodeAllocatable({ status: { allocatable: { cpu: '3920m', pods: '58' } } }).pods, 58);
});

test('BestEffort means no cpu or memory anywhere', () => {
  assert.equal(isBestEffort({ spec: { containers: [c()] } }), true);
  assert.equal(isBestEffort({ spec: { containers: [c(undefined, { memory: '1Gi' })] } }), false);
});
