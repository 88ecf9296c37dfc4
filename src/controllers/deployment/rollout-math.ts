import { scaledValue } from '../shared/int-or-percent.ts';

/**
 * The arithmetic of Deployment rollouts (pkg/controller/deployment/util and rolling.go), over a
 * plain view of each ReplicaSet so it can be tested without objects.
 */
export interface RsView {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
  /** creationTimestamp in epoch ms */
  createdMs: number;
  /** deployment.kubernetes.io/max-replicas, when present */
  maxReplicas?: number;
}

export interface RolloutSpec {
  replicas: number;
  type: 'RollingUpdate' | 'Recreate';
  maxSurge?: number | string;
  maxUnavailable?: number | string;
}

/**
 * maxSurge rounds up, maxUnavailable rounds down; when both resolve to 0, maxUnavailable becomes
 * 1 so a rollout can make progress (replicas 1 with 25%/25% → surge 1, unavailable 0).
 */
export function resolveFenceposts(
  maxSurge: number | string | undefined,
  maxUnavailable: number | string | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? '25%', desired, true) ?? 0;
  let unavailable = scaledValue(maxUnavailable ?? '25%', desired, false) ?? 0;
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: RolloutSpec): number {
  if (d.type !== 'RollingUpdate') return 0;
  return resolveFenceposts(d.maxSurge, d.maxUnavailable, d.replicas).surge;
}

export function maxUnavailable(d: RolloutSpec): number {
  if (d.type !== 'RollingUpdate' || d.replicas === 0) return 0;
  const { unavailable } = resolveFenceposts(d.maxSurge, d.maxUnavailable, d.replicas);
  return Math.min(unavailable, d.replicas);
}

const sum = (rss: RsView[], f: (r: RsView) => number) => rss.reduce((n, r) => n + f(r), 0);

/** Oldest first; equal times by name (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: RsView, b: RsView): number {
  if (a.createdMs !== b.createdMs) return a.createdMs - b.createdMs;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** How far the new ReplicaSet may grow now (NewRSNewReplicas). */
export function newReplicaSetSize(d: RolloutSpec, all: RsView[], newRs: RsView): number {
  if (d.type === 'Recreate') return d.replicas;
  const current = sum(all, (r) => r.replicas);
  const maxTotal = d.replicas + maxSurge(d);
  if (current >= maxTotal) return newRs.replicas;
  const scaleUp = Math.min(maxTotal - current, d.replicas - newRs.replicas);
  return newRs.replicas + scaleUp;
}

/**
 * Target sizes for old ReplicaSets in one rolling step (reconcileOldReplicaSets): first scale
 * down unhealthy replicas, then healthy ones, oldest first, never letting available pods fall
 * below replicas − maxUnavailable. Returns only the ReplicaSets whose size changes.
 */
export function oldReplicaSetSizes(d: RolloutSpec, all: RsView[], old: RsView[], newRs: RsView | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (sum(old, (r) => r.replicas) === 0) return out;
  const minAvailable = d.replicas - maxUnavailable(d);
  const newUnavailable = newRs ? newRs.replicas - newRs.available : 0;
  const maxScaledDown = sum(all, (r) => r.replicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return out;

  const sorted = [...old].sort(byCreation);
  const size = new Map(sorted.map((r) => [r.name, r.replicas]));
  let cleaned = 0;
  for (const rs of sorted) {
    if (cleaned >= maxScaledDown) break;
    const current = size.get(rs.name)!;
    if (current === 0 || current <= rs.available) continue;
    const n = Math.min(maxScaledDown - cleaned, current - rs.available);
    size.set(rs.name, current - n);
    cleaned += n;
  }

  const available = sum(all, (r) => r.available);
  if (available > minAvailable) {
    const target = available - minAvailable;
    let done = 0;
    for (const rs of sorted) {
      if (done >= target) break;
      const current = size.get(rs.name)!;
      if (current === 0) continue;
      const n = Math.min(current, target - done);
      size.set(rs.name, current - n);
      done += n;
    }
  }
  for (const rs of sorted) if (size.get(rs.name) !== rs.replicas) out.set(rs.name, size.get(rs.name)!);
  return out;
}

/**
 * Proportional scaling (sync.go scale) when spec.replicas changes mid-rollout: the replicas to add
 * or remove are shared among the active ReplicaSets in proportion to their size relative to the
 * max-replicas they were last sized for; the rounding leftover goes to the largest.
 * `active` are ReplicaSets with replicas > 0. Returns every active ReplicaSet's new size.
 */
export function proportionalSizes(
  d: RolloutSpec,
  active: RsView[],
  deploymentStatusReplicas: number,
): { sizes: Map<string, number>; direction: 'up' | 'down' | undefined } {
  const allowed = d.replicas > 0 ? d.replicas + maxSurge(d) : 0;
  const toAdd = allowed - sum(active, (r) => r.replicas);
  const sorted = [...active];
  let direction: 'up' | 'down' | undefined;
  if (toAdd > 0) {
    direction = 'up';
    sorted.sort((a, b) => (a.replicas !== b.replicas ? b.replicas - a.replicas : byCreation(b, a)));
  } else if (toAdd < 0) {
    direction = 'down';
    sorted.sort((a, b) => (a.replicas !== b.replicas ? b.replicas - a.replicas : byCreation(a, b)));
  }
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of sorted) {
    if (toAdd === 0) {
      sizes.set(rs.name, rs.replicas);
      continue;
    }
    const p = proportion(rs, d, toAdd, added, deploymentStatusReplicas);
    sizes.set(rs.name, rs.replicas + p);
    added += p;
  }
  if (toAdd !== 0 && sorted.length > 0) {
    const first = sorted[0].name;
    sizes.set(first, Math.max(0, sizes.get(first)! + (toAdd - added)));
  }
  return { sizes, direction };
}

function proportion(rs: RsView, d: RolloutSpec, toAdd: number, added: number, statusReplicas: number): number {
  if (rs.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d, statusReplicas);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: RsView, d: RolloutSpec, statusReplicas: number): number {
  if (d.replicas === 0) return -rs.replicas;
  const deploymentReplicas = d.replicas + maxSurge(d);
  const annotated = rs.maxReplicas ?? statusReplicas;
  if (!annotated) return 0;
  // math.Round: halves away from zero (sizes are positive here).
  return Math.round((rs.replicas * deploymentReplicas) / annotated) - rs.replicas;
}
