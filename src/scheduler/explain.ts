import type { ScheduleResult } from './framework.ts';
import { MAX_NODE_SCORE } from './plugin.ts';
import { defaultProfile, type Profile } from './profile.ts';

/** The pod annotation that records why the scheduler placed (or could not place) the pod. */
export const SCHEDULING_RESULT_ANNOTATION = 'kates.dev/scheduling-result';

/** Nodes described in detail; the rest are counted, so the annotation stays small on big clusters. */
export const DEFAULT_EXPLAINED_NODES = 12;

export interface ScoreDetail {
  raw: number;
  normalized: number;
  weight: number;
  weighted: number;
}

export interface NodeDetail {
  node: string;
  /** Each filter's verdict in order: "passed", "skipped", or the rejection reason (later filters do not run). */
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
  nodes: { total: number; evaluated: number; feasible: number; shown: number };
  maxScore: number;
  preFilter?: { plugin: string; reason: string };
  scoring?: string;
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
    out[pl.name] = result.skippedFilters.has(pl.name) ? 'skipped' : 'passed';
  }
  return out;
}

/** The selected node first, then feasible nodes by score, then one rejected node per distinct reason, then the rest. */
function nodesToShow(result: ScheduleResult, limit: number): string[] {
  const order: string[] = [];
  const add = (n: string) => {
    if (order.length < limit && !order.includes(n)) order.push(n);
  };
  if (result.node) add(result.node);
  const ranked = result.feasible.map((n, i) => ({ n: n.name, t: result.totals[i] ?? 0 })).sort((a, b) => b.t - a.t);
  for (const { n } of ranked) add(n);
  const seen = new Set<string>();
  for (const [n, s] of result.statuses) {
    const reason = s.reasons.join(', ');
    if (!seen.has(reason)) {
      seen.add(reason);
      add(n);
    }
  }
  for (const n of result.statuses.keys()) add(n);
  return order;
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
            detail.scores[s.plugin] = { raw: s.raw[i], normalized: s.normalized[i], weight: s.weight, weighted: s.normalized[i] * s.weight };
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
    nodes: { total: result.numAllNodes, evaluated: result.evaluated.length, feasible: result.feasible.length, shown: perNode.length },
    maxScore: profile.scores.reduce((s, p) => s + p.weight * MAX_NODE_SCORE, 0),
    ...(result.preFilterStatus ? { preFilter: { plugin: result.preFilterStatus.plugin ?? '', reason: result.preFilterStatus.reasons.join(', ') } } : {}),
    ...(result.scoringSkipped ? { scoring: `skipped: ${result.scoringSkipped}` } : {}),
    ...(extra.preemption ? { preemption: extra.preemption } : {}),
    perNode,
    attempts: extra.attempts,
    lastAttempt: extra.lastAttempt,
    ...(extra.stateHash ? { stateHash: extra.stateHash } : {}),
  };
  return rec;
}

/**
 * `Successfully assigned <ns>/<pod> to <node>` followed by a short summary of the decision, so
 * `kubectl describe pod` tells why that node won.
 */
export function scheduledMessage(result: ScheduleResult, profile: Profile = defaultProfile): string {
  const base = `Successfully assigned ${result.pod.namespace}/${result.pod.name} to ${result.node}`;
  const feasible = `${result.feasible.length}/${result.numAllNodes} nodes feasible`;
  if (result.scoringSkipped) return `${base} (${result.scoringSkipped}; ${feasible})`;
  const i = result.feasible.findIndex((n) => n.name === result.node);
  const max = profile.scores.reduce((s, p) => s + p.weight * MAX_NODE_SCORE, 0);
  const parts = result.scores.filter((s) => !s.skipped).map((s) => `${s.plugin} ${s.normalized[i]}×${s.weight}`);
  return `${base} (score ${result.totals[i]}/${max}: ${parts.join(', ')}; ${feasible})`;
}
