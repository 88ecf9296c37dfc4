import type { KubeObject } from '../../../src/kube/types.ts';
import { isoTime } from '../../../src/lib/clock.ts';
import { buildNode } from '../../../src/clusters/nodes.ts';
import type { ClusterRow, NodePoolRow } from '../../../src/services/clusters/internal.ts';
import { nodeGroupsOf } from '../../../src/autoscaling/cluster-autoscaler/node-groups.ts';

export const NOW = Date.parse('2026-01-01T12:00:00Z');

export const cluster: ClusterRow = {
  id: 'cls_test',
  tenantId: 'ten_test',
  name: 'demo',
  provider: 'eks',
  tier: 'standard',
  region: 'us-east-1',
  kubernetesVersion: '1.32',
  status: 'RUNNING',
  settings: '{}',
  timeScale: 1,
  clockOriginMs: NOW,
  clockSkewMs: 0,
  resourceVersion: 0,
  compactedRevision: 0,
  tokenGeneration: 1,
  createdAt: NOW,
  updatedAt: NOW,
  deletedAt: null,
};

export function pool(name: string, o: Partial<NodePoolRow> = {}): NodePoolRow {
  return {
    clusterId: cluster.id,
    name,
    instanceType: 'm5.large',
    count: 1,
    minCount: 1,
    maxCount: 5,
    autoscaling: true,
    labels: '{}',
    taints: '[]',
    version: null,
    zones: '[]',
    capacityType: 'ON_DEMAND',
    maxSurge: null,
    maxUnavailable: null,
    status: 'READY',
    ...o,
  };
}

export function node(p: NodePoolRow, ordinal: number): KubeObject {
  return buildNode(cluster, p, { ordinal, slot: ordinal + 1 + p.name.length * 10 }, isoTime(NOW));
}

export function groups(pools: NodePoolRow[], daemonSets: KubeObject[] = []) {
  return nodeGroupsOf(cluster, pools, daemonSets, NOW);
}

let seq = 0;
export interface PodOpts {
  cpu?: string;
  memory?: string;
  node?: string;
  nodeSelector?: Record<string, string>;
  owner?: string | null;
  namespace?: string;
  annotations?: Record<string, string>;
  volumes?: unknown[];
  labels?: Record<string, string>;
}

/** A pod of a ReplicaSet (unless `owner: null`), bound to `node` or pending. */
export function pod(name: string, o: PodOpts = {}): KubeObject {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  const owner = o.owner === undefined ? 'web-rs' : o.owner;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `uid-${name}-${seq++}`,
      creationTimestamp: isoTime(NOW - 60_000),
      labels: o.labels ?? { app: 'web' },
      ...(o.annotations ? { annotations: o.annotations } : {}),
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: `uid-${owner}`, controller: true }] } : {}),
    },
    spec: {
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.volumes ? { volumes: o.volumes } : {}),
      containers: [{ name: 'app', image: 'nginx', resources: { requests } }],
    },
    status: o.node
      ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }
      : { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available' }] },
  };
}
