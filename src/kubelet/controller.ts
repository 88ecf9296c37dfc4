import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import type { KubeObject } from '../kube/types.ts';
import type { WriteOp } from '../store/objects.ts';
import { requestDeletion } from '../kube/deletion.ts';
import { StoreError } from '../store/errors.ts';
import { normalizeImage } from './images.ts';
import { kubeletRuns } from './node-state.ts';
import { holdsPodIP, PodIpPool } from './pod-ips.ts';
import { finalDeleteOp, updateOp, writeGuarded } from './pod-writer.ts';
import { loadReferences } from './references-loader.ts';
import type { KubeletEnv } from './sim.ts';
import { stepPod, type StepResult } from './step.ts';
import { recordNodeImages } from './node-images.ts';

/** At most this many pod writes per pass; the rest waits for the next pass (`more`). */
const MAX_WRITES_PER_PASS = 500;

/**
 * The kubelets of every live node of a cluster, in one pass: each bound pod is stepped to the
 * cluster clock (see stages.ts), changed pods are written in batches, events recorded, and the
 * pass asks to run again at the earliest scheduled transition. No timer per pod.
 */
export const kubeletController: Controller = {
  name: 'kubelet',
  watches: ['pods', 'nodes', 'configmaps', 'secrets', 'persistentvolumeclaims'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const now = ctx.now();
    const nodes = new Map((await ctx.store.list(ctx.clusterId, 'nodes')).items.map((n) => [n.metadata.name!, n]));
    const pods = (await ctx.store.list(ctx.clusterId, 'pods', { filter: (p) => Boolean(p.spec?.nodeName) })).items;
    const live = pods.filter((p) => kubeletRuns(nodes.get(p.spec.nodeName)));
    await collectOrphans(ctx, pods.filter((p) => !nodes.has(p.spec.nodeName)));
    const refs = await loadReferences(ctx.store, ctx.clusterId, live);
    const pools = ipPools(nodes, pods);

    const ops: WriteOp[] = [];
    const eventsFor: Array<{ pod: KubeObject; result: StepResult }> = [];
    const pulledByNode = new Map<string, Set<string>>();
    let nextAt = Infinity;
    let more = false;
    for (const pod of live) {
      const node = nodes.get(pod.spec.nodeName)!;
      const env: KubeletEnv = {
        ...refs,
        node,
        allocatePodIP: () => pools.get(node.metadata.name!)!.allocate(),
        imagePresent: (image) => nodeHasImage(node, image) || pulledByNode.get(node.metadata.name!)?.has(normalizeImage(image)) === true,
      };
      if (ops.length >= MAX_WRITES_PER_PASS) {
        more = true;
        break;
      }
      const result = stepPod(pod, env, now);
      if (result.nextAt !== undefined) nextAt = Math.min(nextAt, result.nextAt);
      if (!result.changed) continue;
      ops.push(result.remove ? finalDeleteOp(pod) : updateOp('pods', result.pod));
      if (result.events.length) eventsFor.push({ pod: result.remove ? pod : result.pod, result });
      if (result.pulled.length) {
        const set = pulledByNode.get(node.metadata.name!) ?? new Set();
        result.pulled.forEach((i) => set.add(i));
        pulledByNode.set(node.metadata.name!, set);
      }
    }

    const { skipped } = await writeGuarded(ctx.store, ctx.clusterId, ops);
    for (const { pod, result } of eventsFor) {
      for (const e of result.events) await ctx.events.record(pod, e.type, e.reason, e.message, 'kubelet');
    }
    await recordNodeImages(ctx.store, ctx.clusterId, pulledByNode);
    if (ops.length) ctx.log.debug({ writes: ops.length, skipped }, 'kubelet pass');
    if (more || skipped) return { more: true };
    return Number.isFinite(nextAt) ? { requeueAfterMs: Math.max(1, nextAt - now) } : {};
  },
};

/** Pod GC of orphans: a pod bound to a node that no longer exists can never run or stop; remove it. */
async function collectOrphans(ctx: ReconcileContext, orphans: KubeObject[]): Promise<void> {
  for (const pod of orphans) {
    try {
      await requestDeletion(ctx.store, ctx.clusterId, 'pods', pod.metadata.namespace!, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
    }
  }
}

function ipPools(nodes: Map<string, KubeObject>, pods: KubeObject[]): Map<string, PodIpPool> {
  const pools = new Map<string, PodIpPool>();
  for (const [name, node] of nodes) if (node.spec?.podCIDR) pools.set(name, new PodIpPool(node.spec.podCIDR));
  for (const p of pods) if (holdsPodIP(p)) pools.get(p.spec.nodeName)?.markUsed(p.status.podIP);
  return pools;
}

function nodeHasImage(node: KubeObject, image: string): boolean {
  const full = normalizeImage(image);
  return (node.status?.images ?? []).some((i: { names?: string[] }) => i.names?.includes(full));
}
