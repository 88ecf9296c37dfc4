import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeName } from '../../../src/scheduler/plugins/node-name.ts';
import { nodePorts } from '../../../src/scheduler/plugins/node-ports.ts';
import { nodeUnschedulable } from '../../../src/scheduler/plugins/node-unschedulable.ts';
import { imageLocality } from '../../../src/scheduler/plugins/image-locality.ts';
import { node, pod, runFilter, runScore, snap } from './fixtures.ts';

test('NodeUnschedulable: cordoned nodes refuse pods unless they tolerate the unschedulable taint', () => {
  const s = snap([node('n', { unschedulable: true })]);
  assert.deepEqual(runFilter(nodeUnschedulable, pod('p'), 'n', s), { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] });
  const tolerant = pod('t', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
  assert.equal(runFilter(nodeUnschedulable, tolerant, 'n', s), null);
});

test('NodeName: only the named node fits', () => {
  const s = snap([node('a'), node('b')]);
  const p = pod('p', { spec: { nodeName: 'a' } });
  assert.equal(runFilter(nodeName, p, 'a', s), null);
  assert.deepEqual(runFilter(nodeName, p, 'b', s), { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match the requested node name"] });
});

const withPort = (name: string, hostPort: number, extra: Record<string, unknown> = {}, nodeName?: string) =>
  pod(name, { nodeName, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort, protocol: 'TCP', ...extra }] }] } });

test('NodePorts: same port and protocol conflict; 0.0.0.0 conflicts with every IP; other protocols do not', () => {
  const s = snap([node('n')], [withPort('old', 8080, { hostIP: '10.0.0.1' }, 'n')]);
  assert.deepEqual(runFilter(nodePorts, withPort('p', 8080), 'n', s), {
    code: 'Unschedulable',
    reasons: ["node(s) didn't have free ports for the requested pod ports"],
  });
  assert.equal(runFilter(nodePorts, withPort('p', 8080, { hostIP: '10.0.0.2' }), 'n', s), null);
  assert.equal(runFilter(nodePorts, withPort('p', 8080, { protocol: 'UDP' }), 'n', s), null);
  assert.equal(runFilter(nodePorts, withPort('p', 9090), 'n', s), null);
  assert.equal(runFilter(nodePorts, pod('plain'), 'n', s), 'skip');
});

test('ImageLocality: cached image size, scaled by how many nodes have it, between 23 MiB and 1000 MiB per container', () => {
  const MB = 1024 * 1024;
  const s = snap([
    node('a', { images: [{ names: ['docker.io/big:1', 'big:1'], sizeBytes: 500 * MB }] }),
    node('b', {
      images: [
        { names: ['big:1'], sizeBytes: 500 * MB },
        { names: ['small:latest'], sizeBytes: 10 * MB },
      ],
    }),
    node('c'),
    node('d'),
  ]);
  const p = pod('p', { spec: { containers: [{ name: 'c', image: 'big:1' }] } });
  // 500 MiB × 2/4 nodes = 250 MiB → 100 × (250 − 23) / (1000 − 23) = 23.
  assert.deepEqual(runScore(imageLocality, p, s).raw, { a: 23, b: 23, c: 0, d: 0 });
  const small = pod('s', { spec: { containers: [{ name: 'c', image: 'small' }] } });
  assert.equal(runScore(imageLocality, small, s).raw.b, 0, 'below the 23 MiB threshold');
  const absent = pod('a', { spec: { containers: [{ name: 'c', image: 'nowhere:2' }] } });
  assert.equal(runScore(imageLocality, absent, s).skipped, true, 'no node has the image: nothing to score');
});
