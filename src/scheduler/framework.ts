import type { KubeObject } from '../kube/types.ts';
import { computePodInfo } from './pod-info.ts';
import { CycleState, unresolvable, unschedulable, type Status } from './plugin.ts';
import { defaultProfile, type Profile } from './profile.ts';
import { addPodToNode, cloneNodeInfo } from './snapshot.ts';
import type { NodeInfo, PodInfo, Snapshot } from './types.ts';

export interface ScheduleOptions {
  profile?: Profile;
  /** Tie-breaking among equally scored nodes; inject for reproducible tests. */
  random?: () => number;
  /** Where the node scan starts; a pass rotates it from pod to pod, as kube-scheduler does. */
  startIndex?: number;
  /** 0 = adaptive (kube-scheduler's default); 100 = always evaluate every node. */
  percentageOfNodesToScore?: number;
}

export interface PluginScores {
  plugin: string;
  weight: number;
  /** Per feasible node, in `feasible` order. */
  raw: number[];
  normalized: number[];
  skipped: boolean;
}

export interface ScheduleResult {
  pod: PodInfo;
  numAllNodes: number;
  /** The chosen node; undefined when no node is feasible. */
  node?: string;
  /** The nodes that ran the filters, in scan order. */
  evaluated: string[];
  /** Why each rejected node was rejected (first failing filter). */
  statuses: Map<string, Status>;
  /** A PreFilter rejection of the whole pod. */
  preFilterStatus?: Status;
  /** The status of nodes a PreFilter excluded up front (pods pinned to nodes). */
  absentStatus?: Status;
  skippedFilters: Set<string>;
  feasible: NodeInfo[];
  scores: PluginScores[];
  totals: number[];
  /** Set when scoring was not needed (one feasible node, or the nominated node still fits). */
  scoringSkipped?: string;
  nextStartIndex: number;
  state: CycleState;
}

const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;
const DEFAULT_PERCENTAGE = 50;

/**
 * How many feasible nodes to find before scoring: every node below 100 nodes, otherwise
 * max(100, n × pct / 100) with pct = max(5, 50 − n/125) unless configured.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES || percentage >= 100) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(MIN_FEASIBLE_PERCENTAGE, DEFAULT_PERCENTAGE - Math.trunc(numAllNodes / 125));
  return Math.max(MIN_FEASIBLE_NODES, Math.trunc((numAllNodes * pct) / 100));
}

export interface PreFilterRun {
  state: CycleState;
  status?: Status;
  nodeNames?: Set<string>;
  /** Plugins that narrowed the node set. */
  narrowedBy: string[];
}

/** Runs every PreFilter in profile order; the first rejection rejects the pod on every node. */
export function runPreFilter(profile: Profile, pod: PodInfo, snapshot: Snapshot): PreFilterRun {
  const state = new CycleState();
  let nodeNames: Set<string> | undefined;
  const narrowedBy: string[] = [];
  for (const pl of profile.filters) {
    if (!pl.preFilter) continue;
    const out = pl.preFilter(state, pod, snapshot);
    if (!out) continue;
    if (out === 'skip') {
      state.skipFilter.add(pl.name);
    } else if ('code' in out) {
      return { state, status: { ...out, plugin: pl.name }, narrowedBy };
    } else {
      narrowedBy.push(pl.name);
      nodeNames = nodeNames ? new Set([...nodeNames].filter((n) => out.nodeNames.has(n))) : out.nodeNames;
      if (nodeNames.size === 0) {
        const msg =
          narrowedBy.length === 1
            ? `node(s) didn't satisfy plugin ${narrowedBy[0]}`
            : `node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}] simultaneously`;
        return { state, status: { ...unschedulable(msg), plugin: pl.name }, narrowedBy };
      }
    }
  }
  return { state, nodeNames, narrowedBy };
}

function runFilterPlugins(profile: Profile, state: CycleState, pod: PodInfo, node: NodeInfo, snapshot: Snapshot): Status | null {
  for (const pl of profile.filters) {
    if (state.skipFilter.has(pl.name)) continue;
    const s = pl.filter(state, pod, node, snapshot);
    if (s) return { ...s, plugin: pl.name };
  }
  return null;
}

/**
 * Runs the filters on one node, first with the pods nominated to it (by earlier preemptions) that
 * are at least as important as this one, so their room stays reserved, then without them.
 */
export function runFilters(profile: Profile, state: CycleState, pod: PodInfo, node: NodeInfo, snapshot: Snapshot): Status | null {
  const nominated = snapshot.nominated.get(node.name)?.filter((p) => p.uid !== pod.uid && p.priority >= pod.priority);
  if (nominated?.length) {
    const withNominated = cloneNodeInfo(node);
    for (const p of nominated) addPodToNode(withNominated, p);
    const s = runFilterPlugins(profile, state, pod, withNominated, snapshot);
    if (s) return s;
  }
  return runFilterPlugins(profile, state, pod, node, snapshot);
}

/** Runs PreScore/Score/NormalizeScore for the feasible nodes and sums the weighted scores. */
export function runScores(
  profile: Profile,
  state: CycleState,
  pod: PodInfo,
  nodes: NodeInfo[],
  snapshot: Snapshot,
): { scores: PluginScores[]; totals: number[] } {
  const totals = new Array<number>(nodes.length).fill(0);
  const scores: PluginScores[] = [];
  for (const { plugin, weight } of profile.scores) {
    if (plugin.preScore?.(state, pod, nodes, snapshot) === 'skip') {
      const zeros = new Array<number>(nodes.length).fill(0);
      scores.push({ plugin: plugin.name, weight, raw: zeros, normalized: zeros, skipped: true });
      continue;
    }
    const raw = nodes.map((n) => plugin.score(state, pod, n, snapshot));
    const normalized = [...raw];
    plugin.normalize?.(state, normalized, nodes);
    for (let i = 0; i < nodes.length; i++) totals[i] += normalized[i] * weight;
    scores.push({ plugin: plugin.name, weight, raw, normalized, skipped: false });
  }
  return { scores, totals };
}

/** The highest total wins; ties are broken uniformly at random (reservoir sampling). */
export function selectHost(totals: number[], random: () => number = Math.random): number {
  let best = -1;
  let bestScore = -Infinity;
  let ties = 0;
  for (let i = 0; i < totals.length; i++) {
    if (totals[i] > bestScore) {
      best = i;
      bestScore = totals[i];
      ties = 1;
    } else if (totals[i] === bestScore) {
      ties++;
      if (random() * ties < 1) best = i;
    }
  }
  return best;
}

function toPodInfo(pod: KubeObject | PodInfo, snapshot: Snapshot): PodInfo {
  return 'pod' in pod && 'requests' in pod ? (pod as PodInfo) : computePodInfo(pod as KubeObject, snapshot.priorityClasses);
}

/**
 * One scheduling cycle for one pod against a snapshot: PreFilter, Filter (stopping once enough
 * feasible nodes are found), Score, select. Pure: the snapshot is not changed.
 */
export function scheduleOne(podIn: KubeObject | PodInfo, snapshot: Snapshot, opts: ScheduleOptions = {}): ScheduleResult {
  const profile = opts.profile ?? defaultProfile;
  const pod = toPodInfo(podIn, snapshot);
  const all = snapshot.nodes;
  const start = all.length ? (opts.startIndex ?? 0) % all.length : 0;
  const pre = runPreFilter(profile, pod, snapshot);
  const result: ScheduleResult = {
    pod,
    numAllNodes: all.length,
    evaluated: [],
    statuses: new Map(),
    skippedFilters: pre.state.skipFilter,
    feasible: [],
    scores: [],
    totals: [],
    nextStartIndex: start,
    state: pre.state,
  };
  if (pre.status) {
    result.preFilterStatus = pre.status;
    return result;
  }
  // A pod nominated by an earlier preemption goes straight to that node when it now fits.
  const nominated = pod.pod.status?.nominatedNodeName ? snapshot.nodeMap.get(pod.pod.status.nominatedNodeName) : undefined;
  if (nominated && (!pre.nodeNames || pre.nodeNames.has(nominated.name)) && !runFilters(profile, pre.state, pod, nominated, snapshot)) {
    result.evaluated.push(nominated.name);
    result.feasible.push(nominated);
    result.node = nominated.name;
    result.scoringSkipped = 'the nominated node fits';
    return result;
  }
  let candidates = all;
  let offset = start;
  if (pre.nodeNames) {
    candidates = all.filter((n) => pre.nodeNames!.has(n.name));
    offset = 0;
    result.absentStatus = { ...unresolvable(`node(s) didn't satisfy plugin(s) [${[...pre.narrowedBy].sort().join(' ')}]`), plugin: pre.narrowedBy[0] };
  }
  const want = numFeasibleNodesToFind(candidates.length, opts.percentageOfNodesToScore);
  let processed = 0;
  for (; processed < candidates.length && result.feasible.length < want; processed++) {
    const node = candidates[(offset + processed) % candidates.length];
    result.evaluated.push(node.name);
    const status = runFilters(profile, pre.state, pod, node, snapshot);
    if (status) result.statuses.set(node.name, status);
    else result.feasible.push(node);
  }
  if (!pre.nodeNames && all.length) result.nextStartIndex = (start + processed) % all.length;
  if (result.feasible.length === 0) return result;
  if (result.feasible.length === 1) {
    result.node = result.feasible[0].name;
    result.scoringSkipped = 'only one node is feasible';
    return result;
  }
  const { scores, totals } = runScores(profile, pre.state, pod, result.feasible, snapshot);
  result.scores = scores;
  result.totals = totals;
  result.node = result.feasible[selectHost(totals, opts.random)].name;
  return result;
}

export interface FilterNodeResult {
  passed: boolean;
  status?: Status;
  /** Each filter's verdict on the node, in order ("passed", "skipped" or the rejection reason). */
  verdicts: { plugin: string; verdict: string }[];
}

/**
 * Whether `pod` fits `node` given the rest of the cluster in `snapshot`. `node` need not be in the
 * snapshot: the cluster autoscaler checks a node group's template node this way.
 */
export function filterNode(podIn: KubeObject | PodInfo, node: NodeInfo, snapshot: Snapshot, profile: Profile = defaultProfile): FilterNodeResult {
  const pod = toPodInfo(podIn, snapshot);
  const pre = runPreFilter(profile, pod, snapshot);
  const verdicts: FilterNodeResult['verdicts'] = [];
  if (pre.status) return { passed: false, status: pre.status, verdicts: [{ plugin: pre.status.plugin ?? '', verdict: pre.status.reasons.join(', ') }] };
  if (pre.nodeNames && !pre.nodeNames.has(node.name)) {
    const status = { ...unresolvable(`node(s) didn't satisfy plugin(s) [${pre.narrowedBy.join(' ')}]`), plugin: pre.narrowedBy[0] };
    return { passed: false, status, verdicts: [{ plugin: status.plugin, verdict: status.reasons[0] }] };
  }
  const status = runFilters(profile, pre.state, pod, node, snapshot);
  for (const pl of profile.filters) {
    if (pre.state.skipFilter.has(pl.name)) verdicts.push({ plugin: pl.name, verdict: 'skipped' });
    else if (status?.plugin === pl.name) {
      verdicts.push({ plugin: pl.name, verdict: status.reasons.join(', ') });
      break;
    } else verdicts.push({ plugin: pl.name, verdict: 'passed' });
  }
  return { passed: !status, status: status ?? undefined, verdicts };
}
