import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot } from '../../../src/scheduler/index.ts';
import { findUnneededNodes } from '../../../src/autoscaling/cluster-autoscaler/scale-down.ts';
import { computeBudget } from '../../../src/autoscaling/pdb.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { groups, node, pod, pool } from './ca-fixtures.ts';

function verdicts(nodes: KubeObject[], pods: KubeObject[], pools: ReturnType<typeof pool>[], o: { pdbs?: KubeObject[]; deleting?: string[] } = {}) {
  const podsByNode = new Map<string, KubeObject[]>();
  for (const p of pods) if (p.spec.nodeName) podsByNode.set(p.spec.nodeName, [...(podsByNode.get(p.spec.nodeName) ?? []), p]);
  const budgets = (o.pdbs ?? []).map((b) => computeBudget(b, pods, () => undefined));
  const out = findUnneededNodes({
    snapshot: buildSnapshot({ nodes, pods }),
    nodes,
    podsByNode,
    groups: groups(pools),
    deleting: new Set(o.deleting ?? []),
    budgets,
    threshold: 0.5,
    ignoreDaemonSetsUtilization: false,
    drain: { skipNodesWithLocalStorage: true, skipNodesWithSystemPods: true },
  });
  return Object.fromEntries(out.map((v) => [v.node, v]));
}

test('two lightly used nodes: one can go (its pod moves to the other), the other must stay', () => {
  const p = pool('default', { count: 2 });
  const [a, b] = [node(p, 0), node(p, 1)];
  const pods = [pod('web-a', { cpu: '200m', node: a.metadata.name }), pod('web-b', { cpu: '200m', node: b.metadata.name })];
  const v = verdicts([a, b], pods, [p]);
  assert.equal(v[a.metadata.name!].unneeded, true);
  assert.deepEqual(v[a.metadata.name!].podsToMove, ['default/web-a']);
  assert.ok(Math.abs(v[a.metadata.name!].utilization.cpu - 200 / 1930) < 1e-9);
  assert.equal(v[b.metadata.name!].unneeded, false);
  assert.equal(v[b.metadata.name!].reason, 'NodeGroupMinSizeReached');
});

test('busy nodes, opted-out nodes and pools without autoscaling are not candidates', () => {
  const p = pool('default', { count: 3, minCount: 0 });
  const fixed = pool('fixed', { autoscaling: false });
  const [a, b] = [node(p, 0), node(p, 1)];
  b.metadata.annotations = { ...b.metadata.annotations, 'cluster-autoscaler.kubernetes.io/scale-down-disabled': 'true' };
  const c = node(fixed, 0);
  const pods = [pod('busy', { cpu: '1', node: a.metadata.name })];
  const v = verdicts([a, b, c], pods, [p, fixed]);
  assert.equal(v[a.metadata.name!].reason, 'NotUnderutilized');
  assert.match(v[a.metadata.name!].message, /^utilization 51\.8% \(cpu 51\.8%, memory 0%\) is not below the threshold 50%$/);
  assert.equal(v[b.metadata.name!].reason, 'ScaleDownDisabledAnnotation');
  assert.equal(v[c.metadata.name!].reason, 'NotAutoscaled');
});

test('drain rules: unreplicated, local storage, kube-system without PDB and safe-to-evict block; safe-to-evict=true unblocks', () => {
  const p = pool('default', { count: 6, minCount: 0 });
  const nodes = Array.from({ length: 6 }, (_, i) => node(p, i));
  const on = (i: number) => nodes[i].metadata.name;
  const pods = [
    pod('bare', { cpu: '100m', node: on(0), owner: null }),
    pod('cache', { cpu: '100m', node: on(1), volumes: [{ name: 'tmp', emptyDir: {} }] }),
    pod('dns', { cpu: '100m', node: on(2), namespace: 'kube-system' }),
    pod('pinned', { cpu: '100m', node: on(3), annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' } }),
    pod('scratch', {
      cpu: '100m',
      node: on(4),
      volumes: [{ name: 'tmp', emptyDir: {} }],
      annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' },
    }),
  ];
  const v = verdicts(nodes, pods, [p]);
  assert.deepEqual([v[on(0)!].reason, v[on(0)!].message], ['NotReplicated', 'default/bare is not replicated']);
  assert.deepEqual([v[on(1)!].reason, v[on(1)!].message], ['LocalStorageRequested', 'pod with local storage present: cache']);
  assert.deepEqual(
    [v[on(2)!].reason, v[on(2)!].message],
    ['UnmovableKubeSystemPod', 'non-daemonset, non-mirrored, non-pdb-assigned kube-system pod present: dns'],
  );
  assert.deepEqual([v[on(3)!].reason, v[on(3)!].blockingPod], ['NotSafeToEvictAnnotation', 'default/pinned']);
  assert.equal(v[on(4)!].unneeded, true);
  assert.equal(v[on(5)!].unneeded, true, 'an empty node is unneeded');
});

test('a PodDisruptionBudget with no disruption left blocks the move', () => {
  const p = pool('default', { count: 3, minCount: 0 });
  const nodes = [node(p, 0), node(p, 1), node(p, 2)];
  const pods = [pod('web-0', { cpu: '100m', node: nodes[0].metadata.name }), pod('web-1', { cpu: '100m', node: nodes[1].metadata.name })];
  const pdb: KubeObject = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: 'default', uid: 'pdb-1' },
    spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
  };
  const v = verdicts(nodes, pods, [p], { pdbs: [pdb] });
  assert.equal(v[nodes[0].metadata.name!].reason, 'NotEnoughPdb');
  assert.equal(v[nodes[0].metadata.name!].message, 'not enough pod disruption budget to move default/web-0');
  // minAvailable 1: one disruption allowed, so only one of the two nodes may go.
  const loose = { ...pdb, spec: { ...pdb.spec, minAvailable: 1 } };
  const v2 = verdicts(nodes, pods, [p], { pdbs: [loose] });
  const unneeded = Object.values(v2).filter((x) => x.unneeded && x.podsToMove.length);
  assert.equal(unneeded.length, 1);
});

test('pods that fit nowhere else keep their node', () => {
  const p = pool('default', { count: 2, minCount: 0 });
  const [a, b] = [node(p, 0), node(p, 1)];
  const pods = [pod('mid', { cpu: '900m', node: a.metadata.name }), pod('big', { cpu: '1500m', node: b.metadata.name })];
  const v = verdicts([a, b], pods, [p]);
  // a is at 46.6%: a candidate by utilization, but b (77.7% used) has no room for 900m.
  assert.equal(v[a.metadata.name!].reason, 'NoPlaceToMovePods');
  assert.equal(v[a.metadata.name!].blockingPod, 'default/mid');
});
