import type { KubeObject } from '../../../src/kube/types.ts';
import { buildSnapshot, type SnapshotInput } from '../../../src/scheduler/snapshot.ts';
import type { Snapshot } from '../../../src/scheduler/types.ts';

let uid = 0;

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  extra?: Record<string, string>;
  images?: { names: string[]; sizeBytes: number }[];
}

/** A node with allocatable resources and the usual hostname label. */
export function node(name: string, o: NodeOpts = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `node-${name}`, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: String(o.pods ?? 110), ...(o.extra ?? {}) },
      ...(o.images ? { images: o.images } : {}),
    },
  };
}

export interface PodOpts {
  ns?: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  priority?: number;
  creation?: string;
  spec?: Record<string, any>;
  owner?: { kind: string; name: string; uid: string };
  deleting?: boolean;
  phase?: string;
}

/** A one-container pod; `spec` merges over the defaults. */
export function pod(name: string, o: PodOpts = {}): KubeObject {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.ns ?? 'default',
      uid: `uid-${name}-${++uid}`,
      labels: o.labels ?? {},
      creationTimestamp: o.creation ?? '2026-01-01T00:00:00Z',
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', controller: true, ...o.owner }] } : {}),
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:01:00Z' } : {}),
    },
    spec: {
      schedulerName: 'default-scheduler',
      containers: [{ name: 'app', image: 'nginx:1.27', resources: Object.keys(requests).length ? { requests } : {} }],
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.spec ?? {}),
    },
    status: { phase: o.phase ?? (o.nodeName ? 'Running' : 'Pending') },
  };
}

export function snap(nodes: KubeObject[], pods: KubeObject[] = [], extra: Partial<SnapshotInput> = {}): Snapshot {
  return buildSnapshot({ nodes, pods, ...extra });
}

/** A deterministic random source (always picks the last of tied nodes). */
export const lastOfTies = () => 0;

import { CycleState, type FilterPlugin, type ScorePlugin, type Status } from '../../../src/scheduler/plugin.ts';
import { computePodInfo } from '../../../src/scheduler/pod-info.ts';

/** Runs one filter plugin (PreFilter then Filter) for a pod on a snapshot node. */
export function runFilter(plugin: FilterPlugin, p: KubeObject, nodeName: string, s: Snapshot): Status | null | 'skip' {
  const info = computePodInfo(p, s.priorityClasses);
  const state = new CycleState();
  const pre = plugin.preFilter?.(state, info, s);
  if (pre === 'skip') return 'skip';
  if (pre && 'code' in pre) return pre;
  return plugin.filter(state, info, s.nodeMap.get(nodeName)!, s);
}

/** Runs one score plugin over the snapshot's nodes (or the named ones): raw and normalised scores by node. */
export function runScore(
  plugin: ScorePlugin,
  p: KubeObject,
  s: Snapshot,
  names?: string[],
): { raw: Record<string, number>; normalized: Record<string, number>; skipped: boolean } {
  const info = computePodInfo(p, s.priorityClasses);
  const nodes = names ? names.map((n) => s.nodeMap.get(n)!) : s.nodes;
  const state = new CycleState();
  if (plugin.preScore?.(state, info, nodes, s) === 'skip') return { raw: {}, normalized: {}, skipped: true };
  const raw = nodes.map((n) => plugin.score(state, info, n, s));
  const normalized = [...raw];
  plugin.normalize?.(state, normalized, nodes);
  const by = (xs: number[]) => Object.fromEntries(nodes.map((n, i) => [n.name, xs[i]]));
  return { raw: by(raw), normalized: by(normalized), skipped: false };
}
