/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../types.ts';
import { requestDeletion } from '../deletion.ts';
import { failure, successStatus, tooManyRequests } from '../status.ts';
import { isPlainObject } from '../patch/merge.ts';
import { selectorMatches } from '../selectors/labels.ts';
import { isoTime } from '../../lib/clock.ts';
import { StoreError } from '../../store/errors.ts';
import { parseDeleteOptions } from './delete.ts';
import { loadObject } from './read.ts';
import { isDryRun, json, type KubeRequest, type KubeResponse } from './context.ts';

const isReady = (p: KubeObject) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
const isHealthy = (p: KubeObject) => !p.metadata.deletionTimestamp && isReady(p);

/** Pods that never ran or already finished (or are going) need no budget. */
function budgetIrrelevant(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

/** intstr.GetScaledValueFromIntOrPercent with rounding up, as the disruption controller uses it. */
function scaled(v: unknown, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v));
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  return Number(v) || 0;
}

/** How many pods the budget's workloads want: their controllers' replica counts, else the pods seen. */
async function expectedCount(req: KubeRequest, pods: KubeObject[]): Promise<number> {
  const owners = new Map<string, any>();
  for (const p of pods) {
    const o = (p.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (o) owners.set(o.uid, o);
  }
  if (owners.size === 0) return pods.length;
  let total = 0;
  for (const o of owners.values()) {
    const resource = o.kind === 'ReplicaSet' ? 'replicasets.apps' : o.kind === 'StatefulSet' ? 'statefulsets.apps' : o.kind === 'ReplicationController' ? 'replicationcontrollers' : undefined;
    const ctl = resource ? await req.deps.store.get(req.clusterId, resource, req.namespace ?? '', o.name) : undefined;
    total += typeof ctl?.spec?.replicas === 'number' ? ctl.spec.replicas : pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === o.uid)).length;
  }
  return total;
}

/**
 * The Eviction API: a graceful delete that a PodDisruptionBudget may refuse (429) when the pod
 * is healthy and the budget has no disruptions left; the budget's status records the disruption.
 */
export async function handleEviction(req: KubeRequest, body: unknown): Promise<KubeResponse> {
  const pod = await loadObject(req, req.name!);
  const eviction = isPlainObject(body) ? body : {};
  const opts = parseDeleteOptions(req, eviction.deleteOptions ?? {});
  const ns = req.namespace ?? '';
  if (!budgetIrrelevant(pod)) {
    const { items: pdbs } = await req.deps.store.list(req.clusterId, 'poddisruptionbudgets.policy', { namespace: ns, filter: (b) => selectorMatches(b.spec?.selector, pod.metadata.labels) });
    if (pdbs.length > 1) throw failure(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    if (pdbs.length === 1) await chargeBudget(req, pdbs[0], pod);
  }
  if (!isDryRun(req)) {
    try {
      await requestDeletion(req.deps.store, req.clusterId, 'pods', ns, pod.metadata.name!, { ...opts, preconditions: { uid: pod.metadata.uid, ...(opts.preconditions ?? {}) } });
    } catch (e) {
      if (!(e instanceof StoreError && e.reason === 'NotFound')) throw e;
    }
  }
  return json(201, { ...successStatus({}), code: 201 });
}

async function chargeBudget(req: KubeRequest, pdb: KubeObject, pod: KubeObject): Promise<void> {
  const ns = req.namespace ?? '';
  const { items: pods } = await req.deps.store.list(req.clusterId, 'pods', { namespace: ns, filter: (p) => selectorMatches(pdb.spec?.selector, p.metadata.labels) });
  const expected = await expectedCount(req, pods);
  const healthy = pods.filter(isHealthy).length;
  const s = pdb.spec ?? {};
  const desired = s.maxUnavailable !== undefined ? Math.max(0, expected - scaled(s.maxUnavailable, expected)) : scaled(s.minAvailable ?? 0, expected);
  const allowed = Math.max(0, healthy - desired);
  const alwaysAllowUnhealthy = s.unhealthyPodEvictionPolicy === 'AlwaysAllow';
  const podHealthy = isHealthy(pod);
  const blocked = podHealthy ? allowed < 1 : !alwaysAllowUnhealthy && healthy < desired;
  if (blocked) {
    throw tooManyRequests('Cannot evict pod as it would violate the pod\'s disruption budget.', 0, [
      { reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${desired} healthy pods and has ${healthy} currently` },
    ]);
  }
  if (isDryRun(req) || !podHealthy) return;
  const next = structuredClone(pdb);
  const now = isoTime(await req.deps.store.clusterNow(req.clusterId));
  next.status = {
    ...(next.status ?? {}),
    observedGeneration: pdb.metadata.generation,
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
    disruptionsAllowed: allowed - 1,
    disruptedPods: { ...(next.status?.disruptedPods ?? {}), [pod.metadata.name!]: now },
  };
  await req.deps.store.update(req.clusterId, 'poddisruptionbudgets.policy', next);
}
