import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evictionTime, withDefaultTolerations } from '../../../src/kubelet/tolerations.ts';
import { toleratesTaint as tolerates } from '../../../src/kube/tolerations.ts';
import { PodIpPool } from '../../../src/kubelet/pod-ips.ts';
import { assignNodeAddresses } from '../../../src/kubelet/node-addresses.ts';
import { kubeletNodeStatus, microTime } from '../../../src/kubelet/node-status.ts';
import { servedNode } from '../../../src/kube/registry/node-heartbeat-view.ts';
import { qosClass } from '../../../src/kubelet/qos.ts';
import { containerUsage } from '../../../src/kubelet/usage.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const T = Date.parse('2026-01-01T00:00:00Z');

test('toleration matching follows core/v1 rules', () => {
  const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const };
  assert.equal(tolerates({ operator: 'Exists' }, taint), true, 'empty key with Exists tolerates everything');
  assert.equal(tolerates({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, taint), false);
  assert.equal(tolerates({ key: 'dedicated', operator: 'Equal', value: 'gpu' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }), true);
  assert.equal(tolerates({ key: 'dedicated', value: 'cpu' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }), false);
});

test('DefaultTolerationSeconds adds 300 s for not-ready and unreachable unless already tolerated', () => {
  assert.deepEqual(
    withDefaultTolerations(undefined).map((t) => `${t.key}:${t.tolerationSeconds}`),
    ['node.kubernetes.io/not-ready:300', 'node.kubernetes.io/unreachable:300'],
  );
  assert.equal(withDefaultTolerations([{ operator: 'Exists' }]).length, 1);
  assert.equal(withDefaultTolerations([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]).length, 2);
});

test('eviction time: now when untolerated, after the smallest tolerationSeconds, never when tolerated forever', () => {
  const unreachable = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const, timeAdded: '2026-01-01T00:00:00Z' }];
  assert.equal(evictionTime({ spec: {} }, unreachable, T + 5000), T + 300_000);
  assert.equal(
    evictionTime(
      { spec: { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] } },
      unreachable,
      T,
    ),
    T + 30_000,
  );
  assert.equal(evictionTime({ spec: { tolerations: [{ operator: 'Exists' }] } }, unreachable, T), undefined, 'DaemonSet-style: tolerated forever');
  assert.equal(evictionTime({ spec: {} }, [{ key: 'dedicated', effect: 'NoExecute' }], T), T);
  assert.equal(evictionTime({ spec: {} }, [{ key: 'dedicated', effect: 'NoSchedule' }], T), undefined);
});

test('pod IPs: lowest free address of the node CIDR, never .0, .1 or the broadcast', () => {
  const pool = new PodIpPool('10.244.3.0/24');
  pool.markUsed('10.244.3.2');
  assert.equal(pool.allocate(), '10.244.3.3');
  assert.equal(pool.allocate(), '10.244.3.4');
  const tiny = new PodIpPool('10.0.0.0/30');
  assert.equal(tiny.allocate(), '10.0.0.2');
  assert.throws(() => tiny.allocate(), /exhausted/);
});

test('node IPAM keeps existing CIDRs and hands out the lowest free /24 from 10.244.0.0', () => {
  const n = (name: string, podCIDR?: string, created = '2026-01-01T00:00:00Z'): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, creationTimestamp: created },
    spec: podCIDR ? { podCIDR } : {},
  });
  const changed = assignNodeAddresses([n('a', '10.244.0.0/24'), n('b'), n('c', undefined, '2026-01-01T00:00:01Z')]);
  assert.deepEqual(
    changed.map((x) => `${x.metadata.name}=${x.spec.podCIDR}`),
    ['a=10.244.0.0/24', 'b=10.244.1.0/24', 'c=10.244.2.0/24'],
  );
  assert.deepEqual(
    changed.map((x) => x.status.addresses[0].address),
    ['172.20.0.10', '172.20.0.11', '172.20.0.12'],
  );
  // Beyond 256 nodes the numbering continues into 10.245.0.0/24 (the /9 around 10.244).
  const many = Array.from({ length: 257 }, (_, i) => n(`n${String(i).padStart(3, '0')}`));
  assert.equal(assignNodeAddresses(many)[256].spec.podCIDR, '10.245.0.0/24');
});

test('node status: healthy conditions posted once, then only every 5 minutes', () => {
  const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a', uid: 'u' }, spec: {}, status: {} };
  const posted = kubeletNodeStatus(node, T)!;
  assert.equal(posted.status.conditions[3].lastHeartbeatTime, '2026-01-01T00:00:00Z');
  assert.equal(kubeletNodeStatus(posted, T + 60_000), undefined);
  assert.equal(kubeletNodeStatus(posted, T + 300_000), undefined, 'the 5-minute report is served, not written');
  assert.equal(servedNode(posted, T + 299_000).status.conditions[3].lastHeartbeatTime, '2026-01-01T00:00:00Z');
  assert.equal(servedNode(posted, T + 300_000).status.conditions[3].lastHeartbeatTime, '2026-01-01T00:05:00Z');
  assert.equal(microTime(T + 1234), '2026-01-01T00:00:01.234000Z');
});

test('QoS classes and usage capped at limits', () => {
  const pod = (resources: object, annotations: Record<string, string> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'd', annotations },
    spec: { containers: [{ name: 'c', resources }] },
  });
  assert.equal(qosClass(pod({})), 'BestEffort');
  assert.equal(qosClass(pod({ limits: { cpu: '1', memory: '1Gi' } })), 'Guaranteed');
  assert.equal(qosClass(pod({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } })), 'Burstable');
  const p = pod({ limits: { cpu: '200m', memory: '100Mi' } }, { 'kates.dev/cpu-usage': '350m', 'kates.dev/memory-usage': '150Mi' });
  const u = containerUsage(p, p.spec.containers[0]);
  assert.deepEqual([u.cpuMillis, u.cpuThrottled, u.memoryBytes, u.overMemoryLimit], [200, true, 100 * 1048576, true]);
  const extra = containerUsage(pod({}), { name: 'c' }, { cpuMillis: 50 });
  assert.ok(extra.cpuMillis >= 51 && extra.cpuMillis <= 54, 'idle footprint plus traffic');
});
