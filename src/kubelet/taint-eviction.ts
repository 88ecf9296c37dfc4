import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import { Pass } from '../controllers/shared/pass.ts';
import type { KubeObject } from '../kube/types.ts';
import { requestDeletion } from '../kube/deletion.ts';
import { setCondition } from './pod-status.ts';
import { evictionTime } from './tolerations.ts';
import type { Taint } from '../kube/tolerations.ts';

/**
 * Taint-based eviction: pods on a node with NoExecute taints are deleted once their tolerations
 * run out (300 s for not-ready/unreachable by default), with a DisruptionTarget condition first,
 * as the taint eviction controller does. Their owners then create replacements elsewhere.
 */
export const taintEvictionController: Controller = {
  name: 'taint-eviction',
  watches: ['nodes', 'pods'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const pass = new Pass(ctx, 'taint-eviction-controller');
    const now = pass.nowMs;
    const tainted = new Map<string, Taint[]>();
    for (const n of (await ctx.store.list(ctx.clusterId, 'nodes')).items) {
      const noExecute = (n.spec?.taints ?? []).filter((t: Taint) => t.effect === 'NoExecute');
      if (noExecute.length) tainted.set(n.metadata.name!, noExecute);
    }
    if (tainted.size === 0) return pass.result();
    const pods = (await ctx.store.list(ctx.clusterId, 'pods', { filter: (p) => tainted.has(p.spec?.nodeName) && !p.metadata.deletionTimestamp })).items;
    for (const pod of pods) {
      const at = evictionTime(pod, tainted.get(pod.spec.nodeName)!, now);
      if (at === undefined) continue;
      if (at > now) pass.wakeAt(at);
      else if (!pass.exhausted) await evict(pass, pod);
    }
    return pass.result();
  },
};

/** Marks the pod with a DisruptionTarget condition, then deletes it (each a write of the pass). */
async function evict(pass: Pass, pod: KubeObject): Promise<void> {
  const ns = pod.metadata.namespace!;
  const name = pod.metadata.name!;
  const marked = structuredClone(pod);
  marked.status ??= {};
  setCondition(marked.status, 'DisruptionTarget', 'True', pass.nowMs, 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint');
  if (!(await pass.attempt(() => pass.store.update(pass.clusterId, 'pods', marked)))) return;
  await pass.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`);
  await pass.attempt(() => requestDeletion(pass.store, pass.clusterId, 'pods', ns, name, { preconditions: { uid: pod.metadata.uid } }));
}
