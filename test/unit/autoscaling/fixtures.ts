import type { KubeObject } from '../../../src/kube/types.ts';
import { isoTime } from '../../../src/lib/clock.ts';

export const T0 = Date.parse('2026-01-01T12:00:00Z');

export interface PodOptions {
  cpu?: string;
  memory?: string;
  phase?: string;
  ready?: boolean;
  /** ms before T0 the pod started (default 1 h: past the CPU initialization period). */
  startedAgo?: number;
  /** ms before T0 the Ready condition last changed (default: 5 s after start). */
  readyChangedAgo?: number;
  labels?: Record<string, string>;
  deleting?: boolean;
  node?: string;
}

/** A pod of the `web` workload as the kubelet would report it. */
export function pod(name: string, o: PodOptions = {}): KubeObject {
  const startedAgo = o.startedAgo ?? 3_600_000;
  const readyChangedAgo = o.readyChangedAgo ?? startedAgo - 5_000;
  const requests: Record<string, string> = {};
  if (o.cpu !== undefined) requests.cpu = o.cpu;
  if (o.memory !== undefined) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: o.labels ?? { app: 'web' }, ...(o.deleting ? { deletionTimestamp: isoTime(T0) } : {}) },
    spec: { ...(o.node ? { nodeName: o.node } : {}), containers: [{ name: 'app', image: 'nginx', resources: { requests } }] },
    status: {
      phase: o.phase ?? 'Running',
      startTime: isoTime(T0 - startedAgo),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: isoTime(T0 - readyChangedAgo) }],
    },
  };
}

/** Metrics in milli-units keyed by pod name, sampled at T0 over 15 s. */
export function metrics(values: Record<string, number>) {
  return new Map(Object.entries(values).map(([k, v]) => [k, { value: v, timestamp: T0, windowMs: 15_000 }]));
}
