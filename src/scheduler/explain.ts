import type { ScheduleResult } from './framework.ts';
import { MAX_NODE_SCORE } from './plugin.ts';
import { defaultProfile, type Profile } from './profile.ts';

/** The pod annotation that records why the scheduler placed (or could not place) the pod. */
export const SCHEDULING_RESULT_ANNOTATION = 'kates.dev/scheduling-result';

/** Nodes described in detail; the rest are only counted, so the annotation stays small on big clusters. */
export const DEFAULT_EXPLAINED_NODES = 6;

export interface ScoreDetail {
  raw: number;
  normalized: number;
  /** normalized × the plugin's weight: what it adds to the node's total. */
  weighted: number;
}

export interface NodeDetail {
  node: string;
  /**
   * The verdict of each filter that ran for this node, in order: "passed" or the rejection reason.
   * Filters after a rejection do not run; filters the pod skipped are listed once in `filters.skipped`.
   */
  filters: Record<string, string>;
  scores?: Record<string, ScoreDetail>;
  total?: number;
  selected?: boolean;
}

export interface SchedulingRecord {
  scheduler: string;
  outcome: 'Scheduled' | 'Unschedulable' | 'WaitingForVolumes';
  selectedNode: string | null;
  /** The FitError text for an unschedulable pod. */
  message?: string;
  /** Why the selected node won, in one line (the Scheduled event keeps upstream's plain text). */
  summary?: string;
  nodes: { total: number; evaluated: number; feasible: number; shown: number };
  /** Filter plugins in the order they run; `skipped` had nothing to check for this pod. */
  filters: { order: string[]; skipped: string[] };
  /** Score plugins and weights; `skipped` scored every node 0; `maxTotal` is the best possible total. */
  scoring: { weights: Record<string, number>; skipped: string[]; maxTotal: number; note?: string };
  preFilter?: { plugin: string; reason: string };
  perNode: NodeDetail[];
  preemption?: { nominatedNode?: string; victims?: string[]; message?: string };
  /** Back-off bookkeeping of the scheduling queue. */
  attempts: number;
  lastAttempt: string;
  stateHash?: string;
}

function filterVerdicts(result: ScheduleResult, profile: Profile, node: string): Record<string, string> {
  const status = result.statuses.get(node);
  const out: Record<string, string> = {};
  for (const pl of profile.filters) {
    if (status?.plugin === pl.name) {
      out[pl.name] = status.reasons.join(', ');
      break;
    }
    if (!result.skippedFilters.has(pl.name)) out[pl.name] = 'passed';
  }
  return out;
}

/** The selected node first, then feasible nodes by score, then one rejected node per distinct reason, then the rest. */
function nodesToShow(result: ScheduleResult, limit: number): string[] {
  const order = new Set<string>();
  const add = (n: string) => {
    if (order.size < limit) order.add(n);
  };
  if (result.node) add(result.node);
  const ranked = result.feasible.map((n, i) => ({ n: n.name, t: result.totals[i] ?? 0 }));
  // Only the best few matter: a partial selection instead of sorting hundreds of nodes.
  for (let k = 0; k < limit && ranked.length; k++) {
    let best = 0;
    for (let i = 1; i < ranked.length; i++) if (ranked[i].t > ranked[best].t) best = i;
    add(ranked[best].n);
    ranked.splice(best, 1);
  }
  const seen = new Set<string>();
  for (const [n, s] of result.statuses) {
    if (order.size >= limit) break;
    const reason = s.reasons.join(', ');
    if (!seen.has(reason)) {
      seen.add(reason);
      add(n);
    }
  }
  for (const n of result.statuses.keys()) {
    if (order.size >= limit) break;
    add(n);
  }
  return [...order];
}

/** The explainable record of one scheduling attempt (the `kates.dev/scheduling-result` annotation). */
export function explain(
  result: ScheduleResult,
  extra: Pick<SchedulingRecord, 'outcome' | 'attempts' | 'lastAttempt'> & Partial<SchedulingRecord>,
  opts: { profile?: Profile; maxNodes?: number } = {},
): SchedulingRecord {
  const profile = opts.profile ?? defaultProfile;
  const feasibleIndex = new Map(result.feasible.map((n, i) => [n.name, i]));
  const perNode = result.preFilterStatus
    ? []
    : nodesToShow(result, opts.maxNodes ?? DEFAULT_EXPLAINED_NODES).map((name): NodeDetail => {
        const detail: NodeDetail = { node: name, filters: filterVerdicts(result, profile, name) };
        const i = feasibleIndex.get(name);
        if (i !== undefined && result.scores.length) {
          detail.scores = {};
          for (const s of result.scores) {
            if (!s.skipped) detail.scores[s.plugin] = { raw: s.raw[i], normalized: s.normalized[i], weighted: s.normalized[i] * s.weight };
          }
          detail.total = result.totals[i];
        }
        if (name === result.node) detail.selected = true;
        return detail;
      });
  const rec: SchedulingRecord = {
    scheduler: profile.schedulerName,
    outcome: extra.outcome,
    selectedNode: result.node ?? null,
    ...(extra.message ? { message: extra.message } : {}),
    ...(extra.summary ? { summary: extra.summary } : {}),
    nodes: { total: result.numAllNodes, evaluated: result.evaluated.length, feasible: result.feasible.length, shown: perNode.length },
    filters: { order: profile.filters.map((f) => f.name), skipped: [...result.skippedFilters] },
    scoring: {
      weights: Object.fromEntries(profile.scores.map((p) => [p.plugin.name, p.weight])),
      skipped: result.scores.filter((s) => s.skipped).map((s) => s.plugin),
      maxTotal: profile.scores.reduce((s, p) => s + p.weight * MAX_NODE_SCORE, 0),
      ...(result.scoringSkipped ? { note: `not scored: ${result.scoringSkipped}` } : {}),
    },
    ...(result.preFilterStatus ? { preFilter: { plugin: result.preFilterStatus.plugin ?? '', reason: result.preFilterStatus.reasons.join(', ') } } : {}),
    ...(extra.preemption ? { preemption: extra.preemption } : {}),
    perNode,
    attempts: extra.attempts,
    lastAttempt: extra.lastAttempt,
    ...(extra.stateHash ? { stateHash: extra.stateHash } : {}),
  };
  return rec;
}

/** The Scheduled event's text, upstream's exactly; the decision's explanation is in the annotation. */
export function scheduledMessage(result: ScheduleResult): string {
  return `Successfully assigned ${result.pod.namespace}/${result.pod.name} to ${result.node}`;
}

/** A short summary of the decision (`score 812/1200: …; 3/3 nodes feasible`), kept in the record. */
export function decisionSummary(result: ScheduleResult, profile: Profile = defaultProfile): string {
  const evaluated = result.evaluated.length;
  const feasible =
    evaluated >= result.numAllNodes
      ? `${result.feasible.length}/${result.numAllNodes} nodes feasible`
      : `${result.feasible.length}/${evaluated} evaluated nodes feasible, ${result.numAllNodes} in the cluster`;
  if (result.scoringSkipped) return `${result.scoringSkipped}; ${feasible}`;
  const i = result.feasible.findIndex((n) => n.name === result.node);
  const max = profile.scores.reduce((s, p) => s + p.weight * MAX_NODE_SCORE, 0);
  const parts = result.scores.filter((s) => !s.skipped).map((s) => `${s.plugin} ${s.normalized[i]}×${s.weight}`);
  return `score ${result.totals[i]}/${max}: ${parts.join(', ')}; ${feasible}`;
}
