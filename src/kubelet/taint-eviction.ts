import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import type { KubeObject } from '../kube/types.ts';
import { requestDeletion } from '../kube/deletion.ts';
import { StoreError } from '../store/errors.ts';
import { setCondition } from './pod-status.ts';
import { evictionTime, type Taint } from './tolerations.ts';

const MAX_EVICTIONS_PER_PASS = 200;

/**
 * Taint-based eviction: pods on a node with NoExecute taints are deleted once their tolerations
 * run out (300 s for not-ready/unreachable by default), with a DisruptionTarget condition first,
 * as the taint eviction controller does. Their owners then create replacements elsewhere.
 */
export const taintEvictionController: Controller = {
  name: 'taint-eviction',
  watches: ['nodes', 'pods'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const now = ctx.now();
    const tainted = new Map<string, Taint[]>();
    for (const n of (await ctx.store.list(ctx.clusterId, 'nodes')).items) {
      const noExecute = (n.spec?.taints ?? []).filter((t: Taint) => t.effect === 'NoExecute');
      if (noExecute.length) tainted.set(n.metadata.name!, noExecute);
    }
    if (tainted.size === 0) return {};
    const pods = (await ctx.store.list(ctx.clusterId, 'pods', { filter: (p) => tainted.has(p.spec?.nodeName) && !p.metadata.deletionTimestamp })).items;
    let next = Infinity;
    let evicted = 0;
    for (const pod of pods) {
      const at = evictionTime(pod, tainted.get(pod.spec.nodeName)!, now);
      if (at === undefined) continue;
      if (at > now) {
        next = Math.min(next, at);
        continue;
      }
      if (evicted >= MAX_EVICTIONS_PER_PASS) return { more: true };
      if (await evict(ctx, pod, now)) evicted++;
    }
    return Number.isFinite(next) ? { requeueAfterMs: Math.max(1, next - now) } : {};
  },
};

async function evict(ctx: ReconcileContext, pod: KubeObject, now: number): Promise<boolean> {
  const ns = pod.metadata.namespace!;
  const name = pod.metadata.name!;
  try {
    const marked = structuredClone(pod);
    marked.status ??= {};
    setCondition(marked.status, 'DisruptionTarget', 'True', now, 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint');
    await ctx.store.update(ctx.clusterId, 'pods', marked);
    await ctx.events.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`, 'taint-eviction-controller');
    await requestDeletion(ctx.store, ctx.clusterId, 'pods', ns, name, { preconditions: { uid: pod.metadata.uid } });
    return true;
  } catch (err) {
    if (err instanceof StoreError && (err.reason === 'Conflict' || err.reason === 'NotFound')) return false;
    throw err;
  }
}
