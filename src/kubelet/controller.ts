import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import { Pass } from '../controllers/shared/pass.ts';
import type { KubeObject } from '../kube/types.ts';
import { requestDeletion } from '../kube/deletion.ts';
import type { WriteOp } from '../store/objects.ts';
import { recordKubeletEvents } from './event-writer.ts';
import { normalizeImage } from './images.ts';
import { recordNodeImages } from './node-images.ts';
import { kubeletRuns } from './node-state.ts';
import { PodCache, syncPodCache } from './pod-cache.ts';
import { holdsPodIP, PodIpPool } from './pod-ips.ts';
import { finalDeleteOp, updateOp } from './pod-writer.ts';
import { loadReferences } from './references-loader.ts';
import type { KubeletEnv, SimEvent } from './sim.ts';
import { stepPod, type StepResult } from './step.ts';

/**
 * The kubelets of every live node of a cluster, in one pass. Only pods that changed since the last
 * pass (from the watch log) or whose next transition fell due are read and stepped (see
 * stages.ts); changed pods and their Events are written in batches, and the pass asks to run
 * again at the earliest scheduled transition. No timer per pod.
 */
export const kubeletController: Controller = {
  name: 'kubelet',
  watches: ['pods', 'nodes', 'configmaps', 'secrets', 'persistentvolumeclaims'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const pass = new Pass(ctx, 'kubelet');
    const { store, clusterId, nowMs: now } = pass;
    const nodes = new Map((await store.list(clusterId, 'nodes')).items.map((n) => [n.metadata.name!, n]));
    const { cache, changed } = await syncPodCache(store, clusterId);
    const candidates = await candidatePods(ctx, cache, changed, now);
    await collectOrphans(pass, cache, nodes);

    const live: KubeObject[] = [];
    for (const p of candidates) {
      if (kubeletRuns(nodes.get(p.spec.nodeName))) live.push(p);
      else cache.remember(p, Infinity, true, ipOf(p)); // its kubelet is down: look again when it is back
    }
    const refs = await loadReferences(store, clusterId, live);
    const pools = ipPools(nodes, cache, live);
    const pulledByNode = new Map<string, Set<string>>();

    const ops: WriteOp[] = [];
    const stepped: Array<{ pod: KubeObject; result: StepResult; op?: number }> = [];
    for (const pod of live) {
      // Pods past the budget wait for the next pass (the spent budget makes the pass end with `more`).
      if (ops.length >= pass.budgetLeft) {
        cache.remember(pod, 0, false, holdsPodIP(pod) ? pod.status.podIP : undefined); // next pass
        continue;
      }
      const node = nodes.get(pod.spec.nodeName)!;
      const nodeName = node.metadata.name!;
      const env: KubeletEnv = {
        ...refs,
        node,
        allocatePodIP: () => pools.get(nodeName)!.allocate(),
        imagePresent: (image) => nodeHasImage(node, image) || pulledByNode.get(nodeName)?.has(normalizeImage(image)) === true,
      };
      const result = stepPod(pod, env, now);
      const entry: { pod: KubeObject; result: StepResult; op?: number } = { pod, result };
      if (result.changed) {
        entry.op = ops.length;
        ops.push(result.remove ? finalDeleteOp(pod) : updateOp('pods', result.pod));
      }
      stepped.push(entry);
      if (result.pulled.length) {
        const set = pulledByNode.get(nodeName) ?? new Set();
        result.pulled.forEach((i) => set.add(i));
        pulledByNode.set(nodeName, set);
      }
    }

    const results = await pass.commit(ops);
    const events: Array<{ pod: KubeObject; event: SimEvent; fresh: boolean }> = [];
    for (const { pod, result, op } of stepped) {
      const key = PodCache.key(pod.metadata.namespace ?? 'default', pod.metadata.name!);
      if (op === undefined) {
        cache.remember(pod, result.nextAt ?? Infinity, result.waiting, ipOf(pod));
        continue;
      }
      const written = results[op];
      if (!written) {
        cache.remember(pod, 0, false, ipOf(pod)); // lost a race: look again next pass
        continue;
      }
      if (result.remove) cache.entries.delete(key);
      else cache.remember(written, result.nextAt ?? Infinity, result.waiting, ipOf(written));
      for (const event of result.events) events.push({ pod: result.remove ? pod : written, event, fresh: result.firstSight });
    }
    // The kubelet's Events go in a few batched commits, merged as the correlator does, rather than
    // one `pass.event` each: a thousand pods starting make four thousand of them.
    await recordKubeletEvents(store, clusterId, now, events);
    await recordNodeImages(store, clusterId, pulledByNode);
    if (ops.length) ctx.log.debug({ writes: ops.length, skipped: results.filter((r) => !r).length }, 'kubelet pass');
    if (pass.hasRaced || pass.exhausted) return pass.result();
    const next = nextTransition(cache, now);
    if (Number.isFinite(next)) pass.wakeAt(next);
    return pass.result();
  },
};

/** Changed pods as the log gave them, plus the bodies of remembered pods that are due now. */
async function candidatePods(ctx: ReconcileContext, cache: PodCache, changed: KubeObject[], now: number): Promise<KubeObject[]> {
  const seen = new Set(changed.map((p) => PodCache.key(p.metadata.namespace ?? 'default', p.metadata.name!)));
  const due = [...cache.entries.entries()].filter(([key, e]) => !seen.has(key) && (e.nextAt <= now || e.watching));
  const fetched = await Promise.all(due.map(([, e]) => ctx.store.get(ctx.clusterId, 'pods', e.namespace, e.name)));
  due.forEach(([key], i) => {
    if (!fetched[i]) cache.entries.delete(key);
  });
  return [...changed, ...fetched.filter((p): p is KubeObject => Boolean(p?.spec?.nodeName))];
}

function nextTransition(cache: PodCache, now: number): number {
  let next = Infinity;
  for (const e of cache.entries.values()) if (e.nextAt > now && e.nextAt < next) next = e.nextAt;
  return next;
}

function ipOf(pod: KubeObject): string | undefined {
  return holdsPodIP(pod) ? pod.status.podIP : undefined;
}

/** Pod GC of orphans: a pod bound to a node that no longer exists can never run or stop; remove it. */
async function collectOrphans(pass: Pass, cache: PodCache, nodes: Map<string, KubeObject>): Promise<void> {
  for (const [key, e] of cache.entries) {
    if (nodes.has(e.node)) continue;
    await pass.attempt(() =>
      requestDeletion(pass.store, pass.clusterId, 'pods', e.namespace, e.name, { gracePeriodSeconds: 0, preconditions: { uid: e.uid } }),
    );
    cache.entries.delete(key);
  }
}

/** IP pools per node, with every address held by a pod the kubelet knows of. */
function ipPools(nodes: Map<string, KubeObject>, cache: PodCache, stepping: KubeObject[]): Map<string, PodIpPool> {
  const pools = new Map<string, PodIpPool>();
  for (const [name, node] of nodes) if (node.spec?.podCIDR) pools.set(name, new PodIpPool(node.spec.podCIDR));
  for (const e of cache.entries.values()) if (e.ip) pools.get(e.node)?.markUsed(e.ip);
  for (const p of stepping) if (holdsPodIP(p)) pools.get(p.spec.nodeName)?.markUsed(p.status.podIP);
  return pools;
}

function nodeHasImage(node: KubeObject, image: string): boolean {
  const full = normalizeImage(image);
  return (node.status?.images ?? []).some((i: { names?: string[] }) => i.names?.includes(full));
}
