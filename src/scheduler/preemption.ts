import { compileLabelSelector } from '../kube/selectors/labels.ts';
import { fitErrorMessage } from './fit-error.ts';
import { runFilters, runPreFilter, type ScheduleResult } from './framework.ts';
import { unresolvable, type CycleState, type Status } from './plugin.ts';
import { defaultProfile, type Profile } from './profile.ts';
import { addPodToNode, cloneNodeInfo, removePodFromNode, withNodeInfo } from './snapshot.ts';
import type { NodeInfo, PodInfo, Snapshot } from './types.ts';

export interface PreemptionOutcome {
  /** The node the preemptor is nominated to once its victims are gone. */
  nominatedNode?: string;
  victims: PodInfo[];
  /** Lower-priority pods nominated to the same node, whose nomination is withdrawn. */
  displacedNominations: PodInfo[];
  /** The PostFilter part of the FitError ('' when a node was found). */
  message: string;
  /** Preemption did not run (the pod is not eligible): an existing nomination stands. */
  keepNomination?: boolean;
}

interface Candidate {
  node: string;
  victims: PodInfo[];
  pdbViolations: number;
}

const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_VICTIMS = 'No preemption victims found for incoming pod';
/** Plugins whose PreFilter state depends on other pods, so it is recomputed when victims are removed. */
const POD_DEPENDENT = ['PodTopologySpread', 'InterPodAffinity', 'VolumeRestrictions'];

/** Higher priority first; among equals, the pod that started earlier. */
export function moreImportant(a: PodInfo, b: PodInfo): number {
  return b.priority - a.priority || a.startTimeMs - b.startTimeMs;
}

/** A pod terminating because the scheduler preempted it (DisruptionTarget=True, PreemptionByScheduler). */
export function terminatingByPreemption(p: PodInfo): boolean {
  if (!p.terminating) return false;
  const c = (p.pod.status?.conditions ?? []).find((x: { type: string }) => x.type === 'DisruptionTarget');
  return c?.status === 'True' && c?.reason === 'PreemptionByScheduler';
}

function eligible(pod: PodInfo, result: ScheduleResult, snapshot: Snapshot): string | undefined {
  if (pod.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominated = pod.pod.status?.nominatedNodeName;
  if (!nominated) return undefined;
  // Retry preemption when the nominated node became hopeless; otherwise wait for its victims to go.
  if (nodeStatus(result, nominated)?.code === 'UnschedulableAndUnresolvable') return undefined;
  const node = snapshot.nodeMap.get(nominated);
  if (node?.pods.some((p) => p.priority < pod.priority && terminatingByPreemption(p))) {
    return 'not eligible due to a terminating pod on the nominated node.';
  }
  return undefined;
}

function nodeStatus(result: ScheduleResult, node: string): Status | undefined {
  return result.preFilterStatus ?? result.statuses.get(node) ?? result.absentStatus;
}

/** Splits pods by whether evicting them would take a PodDisruptionBudget below its allowance. */
function splitByPdb(pods: PodInfo[], snapshot: Snapshot): { violating: PodInfo[]; other: PodInfo[] } {
  const allowed = snapshot.pdbs.map((p) => Number(p.status?.disruptionsAllowed ?? 0));
  const selectors = snapshot.pdbs.map((p) => (p.spec?.selector && Object.keys(p.spec.selector).length ? compileLabelSelector(p.spec.selector) : null));
  const violating: PodInfo[] = [];
  const other: PodInfo[] = [];
  for (const pod of pods) {
    let violates = false;
    snapshot.pdbs.forEach((pdb, i) => {
      if ((pdb.metadata.namespace ?? 'default') !== pod.namespace || !selectors[i]?.(pod.labels)) return;
      if (pdb.status?.disruptedPods?.[pod.name]) return;
      allowed[i]--;
      if (allowed[i] < 0) violates = true;
    });
    (violates ? violating : other).push(pod);
  }
  return { violating, other };
}

/**
 * The fewest lower-priority pods to evict from `node` so the pod fits: remove them all, check the
 * pod fits, then give back as many as possible, most important first (PDB-protected pods first).
 */
export function selectVictimsOnNode(
  pod: PodInfo,
  node: NodeInfo,
  snapshot: Snapshot,
  profile: Profile,
  baseState: CycleState,
  recomputePreFilter: boolean,
): { victims: PodInfo[]; pdbViolations: number } | Status {
  const ni = cloneNodeInfo(node);
  const potential = ni.pods.filter((p) => p.priority < pod.priority);
  if (potential.length === 0) return unresolvable(NO_VICTIMS);
  for (const p of potential) removePodFromNode(ni, p);
  const view = withNodeInfo(snapshot, ni);
  const fits = (): Status | null => {
    if (!recomputePreFilter) return runFilters(profile, baseState, pod, ni, view);
    const pre = runPreFilter(profile, pod, view);
    return pre.status ?? runFilters(profile, pre.state, pod, ni, view);
  };
  const blocked = fits();
  if (blocked) return blocked;
  potential.sort(moreImportant);
  const { violating, other } = splitByPdb(potential, snapshot);
  const victims: PodInfo[] = [];
  let pdbViolations = 0;
  const reprieve = (p: PodInfo): boolean => {
    addPodToNode(ni, p);
    if (!fits()) return true;
    removePodFromNode(ni, p);
    victims.push(p);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) pdbViolations++;
  for (const p of other) reprieve(p);
  victims.sort(moreImportant);
  return { victims, pdbViolations };
}

/** kube-scheduler's order: fewest PDB violations, lowest top victim priority, lowest priority sum, fewest victims, latest start. */
function pickCandidate(cands: Candidate[]): Candidate {
  const offset = 2 ** 31; // keeps negative priorities from lowering the sum
  const keyOf = (c: Candidate): number[] => {
    const top = c.victims[0].priority;
    const earliestTop = Math.min(...c.victims.filter((v) => v.priority === top).map((v) => v.startTimeMs));
    return [c.pdbViolations, top, c.victims.reduce((s, v) => s + v.priority + offset, 0), c.victims.length, -earliestTop];
  };
  let best = cands[0];
  let bestKey = keyOf(best);
  for (const c of cands.slice(1)) {
    const k = keyOf(c);
    for (let i = 0; i < k.length; i++) {
      if (k[i] < bestKey[i]) {
        best = c;
        bestKey = k;
        break;
      }
      if (k[i] > bestKey[i]) break;
    }
  }
  return best;
}

/**
 * DefaultPreemption (PostFilter) for a pod no node could take. Candidate nodes are those whose
 * rejection was resolvable; at least max(10% of them, 100) are dry-run from a random offset.
 */
export function preempt(result: ScheduleResult, snapshot: Snapshot, opts: { profile?: Profile; random?: () => number } = {}): PreemptionOutcome {
  const profile = opts.profile ?? defaultProfile;
  const pod = result.pod;
  const none: PreemptionOutcome = { victims: [], displacedNominations: [], message: '' };
  const ineligible = eligible(pod, result, snapshot);
  if (ineligible) return { ...none, message: `preemption: ${ineligible}`, keepNomination: true };
  const n = snapshot.nodes.length;
  const potential = snapshot.nodes.filter((node) => nodeStatus(result, node.name)?.code === 'Unschedulable');
  const statuses = new Map<string, Status>();
  const candidates: Candidate[] = [];
  if (potential.length) {
    const wanted = Math.min(potential.length, Math.max(Math.trunc(potential.length / 10), 100));
    const offset = Math.floor((opts.random ?? Math.random)() * potential.length);
    const recompute = POD_DEPENDENT.some((p) => !result.skippedFilters.has(p)) || Boolean(result.preFilterStatus);
    for (let i = 0; i < potential.length && candidates.length < wanted; i++) {
      const node = potential[(offset + i) % potential.length];
      const out = selectVictimsOnNode(pod, node, snapshot, profile, result.state, recompute);
      if ('code' in out) statuses.set(node.name, out);
      else if (out.victims.length) candidates.push({ node: node.name, ...out });
    }
  }
  if (candidates.length === 0) {
    const message = fitErrorMessage({ numAllNodes: n, statuses, absentStatus: unresolvable(NOT_HELPFUL) });
    return { ...none, message: `preemption: ${message}` };
  }
  const best = pickCandidate(candidates);
  const displaced = (snapshot.nominated.get(best.node) ?? []).filter((p) => p.uid !== pod.uid && p.priority < pod.priority);
  return { nominatedNode: best.node, victims: best.victims, displacedNominations: displaced, message: '' };
}
