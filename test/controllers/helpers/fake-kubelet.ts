import type { Controller } from '../../../src/controllers/runtime.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { isoTime } from '../../../src/lib/clock.ts';
import type { ObjectStore } from '../../../src/store/objects.ts';

export interface FakeKubeletOptions {
  /** Whether a bound pod may become Running and Ready now (default: always). */
  mayStart?: (pod: KubeObject) => boolean;
}

/**
 * Plays scheduler and kubelet so controller tests do not depend on them: binds pending pods to a
 * node (the one named by a DaemonSet pod's affinity, else the least loaded matching node), makes
 * bound pods Running and Ready, and removes pods marked for deletion.
 */
export function fakeKubelet(opts: FakeKubeletOptions = {}): Controller {
  return {
    name: 'fake-kubelet',
    watches: ['pods', 'nodes'],
    async reconcile(ctx) {
      const { store, clusterId } = ctx;
      const now = isoTime(ctx.now());
      const nodes = (await store.list(clusterId, 'nodes')).items;
      const pods = (await store.list(clusterId, 'pods')).items;
      const load = new Map<string, number>(nodes.map((n) => [n.metadata.name!, 0]));
      for (const p of pods) if (p.spec?.nodeName) load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1);
      for (const pod of pods) {
        if (pod.metadata.deletionTimestamp) {
          await stopPod(ctx.store, clusterId, pod, now);
          continue;
        }
        if (pod.status?.phase !== 'Pending') continue;
        const next = structuredClone(pod);
        if (!next.spec.nodeName) {
          const node = pickNode(pod, nodes, load);
          if (!node) continue;
          next.spec.nodeName = node;
          load.set(node, (load.get(node) ?? 0) + 1);
        }
        if (opts.mayStart && !opts.mayStart(next)) {
          if (next.spec.nodeName !== pod.spec.nodeName) await store.update(clusterId, 'pods', next);
          continue;
        }
        next.status = {
          ...next.status,
          phase: 'Running',
          startTime: now,
          conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({ type, status: 'True', lastTransitionTime: now })),
          containerStatuses: (next.spec.containers ?? []).map((c: { name: string; image: string }) => ({
            name: c.name,
            image: c.image,
            ready: true,
            started: true,
            restartCount: 0,
            state: { running: { startedAt: now } },
          })),
        };
        await store.update(clusterId, 'pods', next);
      }
    },
  };
}

/**
 * A kubelet stopping a deleted pod: gone when nothing holds it; with finalizers it stays, marked
 * Failed with no grace left, until their owners let go.
 */
async function stopPod(store: ObjectStore, clusterId: string, pod: KubeObject, now: string): Promise<void> {
  if (!pod.metadata.finalizers?.length) {
    await store
      .commit(clusterId, [{ op: 'delete', resource: 'pods', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid }])
      .catch(() => {});
    return;
  }
  if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
    if (!pod.metadata.deletionGracePeriodSeconds) return;
    await store.update(clusterId, 'pods', { ...pod, metadata: { ...pod.metadata, deletionGracePeriodSeconds: 0 } }).catch(() => {});
    return;
  }
  await store
    .update(clusterId, 'pods', terminated({ ...pod, metadata: { ...pod.metadata, deletionGracePeriodSeconds: 0 } }, 'Failed', 137, now))
    .catch(() => {});
}

/** The pod with every container terminated and the given phase (what a kubelet reports at exit). */
export function terminated(pod: KubeObject, phase: 'Succeeded' | 'Failed', exitCode: number, now: string): KubeObject {
  const next = structuredClone(pod);
  next.status = {
    ...next.status,
    phase,
    conditions: (next.status?.conditions ?? []).map((c: { type: string }) =>
      c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', lastTransitionTime: now } : c,
    ),
    containerStatuses: (next.spec.containers ?? []).map((c: { name: string; image: string }) => ({
      name: c.name,
      image: c.image,
      ready: false,
      started: false,
      restartCount: 0,
      state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAt: now } },
    })),
  };
  return next;
}

/** Ends the matching running pods with the given phase, as the simulated containers would. */
export async function finishPods(
  ctx: { store: ObjectStore; clusterId: string; now(): number },
  match: (pod: KubeObject) => boolean,
  phase: 'Succeeded' | 'Failed',
): Promise<string[]> {
  const pods = (await ctx.store.list(ctx.clusterId, 'pods')).items.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp && match(p));
  for (const pod of pods) await ctx.store.update(ctx.clusterId, 'pods', terminated(pod, phase, phase === 'Succeeded' ? 0 : 1, isoTime(ctx.now())));
  return pods.map((p) => p.metadata.name!);
}

function pickNode(pod: KubeObject, nodes: KubeObject[], load: Map<string, number>): string | undefined {
  const pinned = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.find(
    (f: { key: string }) => f.key === 'metadata.name',
  )?.values?.[0];
  if (pinned) return nodes.some((n) => n.metadata.name === pinned) ? pinned : undefined;
  const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
  const fits = nodes.filter((n) => Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v));
  fits.sort((a, b) => (load.get(a.metadata.name!) ?? 0) - (load.get(b.metadata.name!) ?? 0));
  return fits[0]?.metadata.name;
}

/** A Ready node named `name` with the given labels and taints. */
export function node(name: string, labels: Record<string, string> = {}, taints: unknown[] = []): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: taints.length ? { taints } : {},
    status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '4', memory: '16Gi', pods: '110' } },
  };
}
