import type { KubeObject } from '../../../src/kube/types.ts';
import type { KubeletEnv } from '../../../src/kubelet/sim.ts';
import { stepPod, type StepResult } from '../../../src/kubelet/step.ts';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const sec = (n: number) => T0 + n * 1000;

/** A kubelet environment without a store: one node, maps of ConfigMaps/Secrets/claims. */
export function fakeEnv(opts: { configMaps?: Record<string, string[]>; secrets?: Record<string, string[]>; boundClaims?: string[]; images?: string[] } = {}) {
  let next = 2;
  const env: KubeletEnv & { configMaps: Record<string, string[]>; boundClaims: string[] } = {
    node: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { addresses: [{ type: 'InternalIP', address: '172.20.0.5' }] } },
    configMaps: opts.configMaps ?? {},
    boundClaims: opts.boundClaims ?? [],
    allocatePodIP: () => `10.244.1.${next++}`,
    imagePresent: (image) => (opts.images ?? []).includes(image),
    keys(kind, _ns, name) {
      const src = kind === 'ConfigMap' ? env.configMaps : (opts.secrets ?? {});
      return src[name] ? new Set(src[name]) : undefined;
    },
    claimBound: (_ns, name) => env.boundClaims.includes(name),
  };
  return env;
}

export function pod(name: string, spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, annotations, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
  };
}

/** Steps a pod at each given time, carrying its state forward like the store would. */
export function stepThrough(p: KubeObject, env: KubeletEnv, times: number[]): { pod: KubeObject; results: StepResult[] } {
  let current = p;
  const results: StepResult[] = [];
  for (const t of times) {
    const r = stepPod(current, env, t);
    results.push(r);
    current = r.pod;
  }
  return { pod: current, results };
}

/** Steps at every scheduled transition until `until` (what the controller's requeue does). */
export function runUntil(p: KubeObject, env: KubeletEnv, start: number, until: number): { pod: KubeObject; events: string[]; removed: boolean } {
  let current = p;
  let t = start;
  const events: string[] = [];
  for (let guard = 0; guard < 1000; guard++) {
    const r = stepPod(current, env, t);
    events.push(...r.events.map((e) => `${e.reason}: ${e.message}`));
    current = r.pod;
    if (r.remove) return { pod: current, events, removed: true };
    if (r.nextAt === undefined || r.nextAt > until) break;
    t = r.nextAt;
  }
  return { pod: current, events, removed: false };
}

export const cstatus = (p: KubeObject, name = 'app') => p.status.containerStatuses.find((c: { name: string }) => c.name === name);
export const cond = (p: KubeObject, type: string) => p.status.conditions.find((c: { type: string }) => c.type === type);
