import type { Pod } from '../../kube/objects.ts';
import { isPodActive, isPodReady, maxContainerRestarts, podReadySince, timestampMs } from '../shared/pod-state.ts';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

interface Ranked {
  pod: Pod;
  /** Active related pods on the same node ("doubled up" pods go first). */
  rank: number;
}

/**
 * The order in which a ReplicaSet deletes surplus pods (controller.ActivePodsWithRanks, with
 * LogarithmicScaleDown): the first pods of the result go first.
 * `related` are the active pods of this ReplicaSet and its siblings under the same Deployment.
 */
export function rankPodsForDeletion(pods: Pod[], related: Pod[], nowMs: number): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const ranked: Ranked[] = pods.map((pod) => ({ pod, rank: perNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => compareForDeletion(a, b, nowMs));
  return ranked.map((r) => r.pod);
}

/** Negative when `a` should be deleted before `b`. */
function compareForDeletion(a: Ranked, b: Ranked, nowMs: number): number {
  const pa = a.pod;
  const pb = b.pod;
  // 1. Unassigned before assigned.
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  // 2. Pending before Unknown before Running.
  const oa = PHASE_ORDER[pa.status?.phase ?? ''] ?? 0;
  const ob = PHASE_ORDER[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa - ob;
  // 3. Not ready before ready.
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return ra ? 1 : -1;
  // 4. Lower pod-deletion-cost first.
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca - cb;
  // 5. More related pods on the same node first.
  if (a.rank !== b.rank) return b.rank - a.rank;
  // 6. Ready for a shorter time first, compared in log2 buckets; ties broken by uid.
  if (ra && rb) {
    const ta = podReadySince(pa);
    const tb = podReadySince(pb);
    if (ta !== tb) {
      const c = compareRecency(ta, tb, nowMs, pa, pb);
      if (c !== 0) return c;
    }
  }
  // 7. More container restarts first.
  const ka = maxContainerRestarts(pa);
  const kb = maxContainerRestarts(pb);
  if (ka !== kb) return kb - ka;
  // 8. Newer first, again in log2 buckets with the uid tie-break.
  const ta = timestampMs(pa.metadata.creationTimestamp);
  const tb = timestampMs(pb.metadata.creationTimestamp);
  if (ta !== tb) return compareRecency(ta, tb, nowMs, pa, pb);
  return 0;
}

/** Later (more recent) first; a missing time counts as the most recent (afterOrZero). */
function compareRecency(ta: number | undefined, tb: number | undefined, nowMs: number, pa: Pod, pb: Pod): number {
  if (ta === undefined || tb === undefined) {
    if (ta === undefined && tb === undefined) return 0;
    return ta === undefined ? -1 : 1;
  }
  const diff = logBucket(nowMs - ta) - logBucket(nowMs - tb);
  if (diff === 0) return uidCompare(pa, pb);
  return diff;
}

/** floor(log2(age in nanoseconds)), -1 for no age: pods of similar age share a bucket. */
function logBucket(ageMs: number): number {
  if (ageMs <= 0) return -1;
  return Math.floor(Math.log2(ageMs * 1e6));
}

function uidCompare(a: Pod, b: Pod): number {
  const ua = a.metadata.uid ?? '';
  const ub = b.metadata.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function deletionCost(pod: Pod): number {
  const raw = pod.metadata.annotations?.[DELETION_COST_ANNOTATION];
  if (raw === undefined) return 0;
  const n = Number(raw);
  return Number.isInteger(n) ? n : 0;
}
