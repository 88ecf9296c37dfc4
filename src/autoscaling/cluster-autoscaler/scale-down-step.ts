import type { Pass } from '../../controllers/shared/pass.ts';
import type { KubeObject } from '../../kube/types.ts';
import { isoTime } from '../../lib/clock.ts';
import type { Snapshot } from '../../scheduler/index.ts';
import type { ClusterRow } from '../../store/rows.ts';
import type { Budget } from '../pdb.ts';
import { markDeletionCandidate, markToBeDeleted } from './actuate.ts';
import { evictPods, podsLeftOnNode } from '../../kube/evict.ts';
import type { DecisionEvent } from './events-log.ts';
import type { NodeGroupProvider } from './provider.ts';
import { poolOfNode, type NodeGroup } from './node-groups.ts';
import { findUnneededNodes } from './scale-down.ts';
import type { AutoscalerSettings } from './settings.ts';
import type { AutoscalerReport, CaState, NodeReport } from './state.ts';

/** How long refused evictions are retried before the drain is abandoned (MaxPodEvictionTime). */
const MAX_POD_EVICTION_MS = 2 * 60_000;

export interface ScaleDownWorld {
  provider: NodeGroupProvider;
  cluster: ClusterRow;
  groups: NodeGroup[];
  nodes: KubeObject[];
  podsByNode: Map<string, KubeObject[]>;
  snapshot: Snapshot;
  budgets: Budget[];
  priorityClasses?: Map<string, KubeObject>;
}

/** Finishes drains: deletes nodes whose pods are gone, retries refused evictions, gives up after 2 min. */
async function progressDrains(
  pass: Pass,
  w: ScaleDownWorld,
  settings: AutoscalerSettings,
  state: CaState,
  now: number,
  log: DecisionEvent[],
): Promise<Set<string>> {
  const removed = new Set<string>();
  const byName = new Map(w.nodes.map((n) => [n.metadata.name!, n]));
  for (const [name, d] of Object.entries(state.draining)) {
    const node = byName.get(name);
    const pool = node ? poolOfNode(node) : undefined;
    if (!node || !pool) {
      delete state.draining[name];
      continue;
    }
    const left = podsLeftOnNode(w.podsByNode.get(name) ?? []);
    pass.spend(3 * left.length); // per pod: the disruption budget, the DisruptionTarget mark, the delete
    const refused = await evictPods(pass.store, pass.clusterId, left, now);
    if (refused.length) {
      d.evictionFailingSince ??= now;
      if (now - d.evictionFailingSince >= MAX_POD_EVICTION_MS) {
        pass.spend();
        await markToBeDeleted(pass.store, pass.clusterId, name, false, now);
        await pass.event(node, 'Warning', 'ScaleDownFailed', `failed to drain the node, aborting ScaleDown: ${refused[0].pod}: ${refused[0].reason}`);
        log.push({ type: 'Warning', reason: 'ScaleDownFailed', message: `Scale-down: failed to drain node ${name}: ${refused[0].pod}: ${refused[0].reason}` });
        state.lastScaleDownFailAt = now;
        delete state.draining[name];
      }
      continue;
    }
    delete d.evictionFailingSince;
    if (left.length === 0 || now - d.startedAt >= settings.maxGracefulTerminationSeconds * 1000) {
      pass.spend();
      await w.provider.deleteNode(w.cluster, name, pool);
      log.push({ type: 'Normal', reason: 'ScaleDown', message: `Scale-down: node ${name} removed with drain` });
      state.lastScaleDownDeleteAt = now;
      delete state.draining[name];
      removed.add(name);
      const group = w.groups.find((g) => g.name === pool);
      if (group) group.targetSize = Math.max(group.minSize, group.targetSize - 1);
    }
  }
  return removed;
}

export function cooldownUntil(settings: AutoscalerSettings, state: CaState): number {
  const afterDelete = (settings.scaleDownDelayAfterDeleteSeconds || settings.scanIntervalSeconds) * 1000;
  return Math.max(
    (state.lastScaleUpAt ?? -Infinity) + settings.scaleDownDelayAfterAddSeconds * 1000,
    (state.lastScaleDownDeleteAt ?? -Infinity) + afterDelete,
    (state.lastScaleDownFailAt ?? -Infinity) + settings.scaleDownDelayAfterFailureSeconds * 1000,
  );
}

/**
 * Scale-down half of a loop: progress drains, find unneeded nodes and how long they have been, then
 * (outside cooldown and unless dry-run) delete empty ones in bulk or start draining one other.
 * Returns the per-node report and the scale-down status.
 */
export async function scaleDownStep(
  pass: Pass,
  w: ScaleDownWorld,
  settings: AutoscalerSettings,
  state: CaState,
  now: number,
  scaledUp: boolean,
  log: DecisionEvent[],
): Promise<{ nodes: NodeReport[]; status: AutoscalerReport['scaleDown'] }> {
  const removed = settings.dryRun ? new Set<string>() : await progressDrains(pass, w, settings, state, now, log);
  const verdicts = findUnneededNodes({
    snapshot: w.snapshot,
    nodes: w.nodes.filter((n) => !removed.has(n.metadata.name!)),
    podsByNode: w.podsByNode,
    groups: w.groups,
    deleting: new Set([...Object.keys(state.draining), ...removed]),
    budgets: w.budgets,
    threshold: settings.scaleDownUtilizationThreshold,
    ignoreDaemonSetsUtilization: settings.ignoreDaemonSetsUtilization,
    drain: settings,
    priorityClasses: w.priorityClasses,
  });
  const live = new Set(verdicts.map((v) => v.node));
  for (const v of verdicts) {
    if (v.unneeded) state.unneededSince[v.node] ??= now;
    else delete state.unneededSince[v.node];
  }
  for (const k of Object.keys(state.unneededSince)) if (!live.has(k)) delete state.unneededSince[k];

  const until = cooldownUntil(settings, state);
  const waitFor = (ready: boolean) => (ready ? settings.scaleDownUnneededTimeSeconds : settings.scaleDownUnreadyTimeSeconds) * 1000;
  let status: AutoscalerReport['scaleDown']['status'] = verdicts.some((v) => v.unneeded) ? 'CandidatesPresent' : 'NoCandidates';
  if (!settings.scaleDownEnabled) status = 'Disabled';
  else if (scaledUp || now < until) status = 'InCooldown';
  else {
    const eligible = verdicts.filter((v) => v.unneeded && now - state.unneededSince[v.node] >= waitFor(v.ready));
    const empty = eligible.filter((v) => v.podsToMove.length === 0).slice(0, settings.maxEmptyBulkDelete);
    for (const v of empty) {
      if (settings.dryRun) {
        log.push({ type: 'Normal', reason: 'DryRunScaleDown', message: `dry run: would remove empty node ${v.node}` });
        continue;
      }
      pass.spend();
      await w.provider.deleteNode(w.cluster, v.node, v.group!);
      log.push({ type: 'Normal', reason: 'ScaleDownEmpty', message: `Scale-down: removing empty node ${v.node}` });
      state.lastScaleDownDeleteAt = now;
      delete state.unneededSince[v.node];
      v.reason = 'BeingDeleted';
      v.unneeded = false;
    }
    const next = empty.length === 0 && Object.keys(state.draining).length === 0 ? eligible.find((v) => v.podsToMove.length > 0) : undefined;
    if (next && settings.dryRun)
      log.push({
        type: 'Normal',
        reason: 'DryRunScaleDown',
        message: `dry run: would drain node ${next.node} (${next.podsToMove.length} pod(s): ${next.podsToMove.join(', ')})`,
      });
    else if (next) {
      const node = w.nodes.find((n) => n.metadata.name === next.node)!;
      pass.spend();
      await markToBeDeleted(pass.store, pass.clusterId, next.node, true, now);
      await pass.event(node, 'Normal', 'ScaleDown', 'marked the node as toBeDeleted/unschedulable');
      const moving = podsLeftOnNode(w.podsByNode.get(next.node) ?? []);
      for (const p of moving) await pass.event(p, 'Normal', 'ScaleDown', 'deleting pod for node scale down');
      state.draining[next.node] = { startedAt: now };
      pass.spend(3 * moving.length);
      const refused = await evictPods(pass.store, pass.clusterId, moving, now);
      if (refused.length) state.draining[next.node].evictionFailingSince = now;
      log.push({
        type: 'Normal',
        reason: 'ScaleDown',
        message: `Scale-down: draining node ${next.node}: evicting ${moving.length} pod(s) (${next.podsToMove.join(', ')})`,
      });
      delete state.unneededSince[next.node];
      next.reason = 'BeingDeleted';
    }
  }

  if (!settings.dryRun) {
    for (const v of verdicts) {
      if (!v.group || v.reason === 'BeingDeleted' || v.reason === 'NotAutoscaled') continue;
      await markDeletionCandidate(pass.store, pass.clusterId, v.node, v.unneeded, now);
    }
  }

  const nodes: NodeReport[] = verdicts.map((v) => {
    const since = state.unneededSince[v.node];
    return {
      node: v.node,
      group: v.group,
      ready: v.ready,
      utilization: { cpu: round(v.utilization.cpu), memory: round(v.utilization.memory) },
      candidate: v.unneeded && v.reason !== 'BeingDeleted',
      reason: v.node in state.draining ? 'BeingDeleted' : v.reason,
      message: v.node in state.draining ? 'the node is being drained and deleted' : v.message,
      ...(v.blockingPod ? { blockingPod: v.blockingPod } : {}),
      podsToMove: v.podsToMove,
      ...(since !== undefined ? { unneededSince: isoTime(since), removableAt: isoTime(Math.max(since + waitFor(v.ready), until)) } : {}),
    };
  });
  return {
    nodes,
    status: {
      status,
      candidates: nodes.filter((n) => n.candidate).length,
      ...(Number.isFinite(until) && until > now ? { cooldownUntil: isoTime(until) } : {}),
      ...(state.lastScaleDownDeleteAt !== undefined ? { lastScaleDownTime: isoTime(state.lastScaleDownDeleteAt) } : {}),
    },
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
