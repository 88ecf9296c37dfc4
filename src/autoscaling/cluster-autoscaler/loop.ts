import type { Pass } from '../../controllers/shared/pass.ts';
import type { KubeObject } from '../../kube/types.ts';
import { isoTime } from '../../lib/clock.ts';
import { buildSnapshot } from '../../scheduler/index.ts';
import type { ClusterRow, NodePoolRow } from '../../store/rows.ts';
import { computeBudget } from '../pdb.ts';
import { nodeIsReady } from './scale-down.ts';
import type { DecisionEvent } from './events-log.ts';
import { nodeGroupsOf, type NodeGroup } from './node-groups.ts';
import { isBackedOff } from './backoff.ts';
import { handleFailedScaleUps } from './scale-up-failures.ts';
import { loadClusterView } from './cluster-view.ts';
import { completeProvisioning, registeredByGroup, upcomingByGroup } from './provisioning.ts';
import { scaleDownStep } from './scale-down-step.ts';
import { scaleUpStep } from './scale-up-step.ts';
import type { NodeGroupProvider } from './provider.ts';
import { notTriggeredMessage, triggeredMessage } from './scale-up.ts';
import { backoffPolicy, type AutoscalerSettings } from './settings.ts';
import type { AutoscalerReport, CaState, GroupReport } from './state.ts';
import { writeStatusConfigMap } from './status-writer.ts';

/** Decisions also recorded as Events on the status ConfigMap, as upstream's log recorder does. */
const STATUS_EVENT_REASONS = new Set([
  'ScaledUpGroup',
  'ScaleDownEmpty',
  'ScaleDown',
  'ScaleDownFailed',
  'ScaleUpFailed',
  'ScaleUpTimedOut',
  'FailedToScaleUpGroup',
  'DeleteUnregistered',
]);

/** A group's line in the report: sizes, and its scale-up condition (booting nodes win over a back-off, as upstream). */
function groupReport(g: NodeGroup, pools: NodePoolRow[], registered: number, ready: number, upcoming: number, state: CaState, now: number): GroupReport {
  const b = state.backoff[g.name];
  const backedOff = isBackedOff(b, now);
  return {
    name: g.name,
    minSize: g.minSize,
    maxSize: g.maxSize,
    targetSize: pools.find((p) => p.name === g.name)?.count ?? g.targetSize,
    registered,
    ready,
    upcoming,
    scaleUpStatus: upcoming > 0 ? 'InProgress' : backedOff ? 'Backoff' : 'NoActivity',
    ...(backedOff
      ? {
          backoff: {
            until: isoTime(b.until),
            durationSeconds: b.durationMs / 1000,
            errorClass: b.errorClass,
            errorCode: b.errorCode,
            errorMessage: b.errorMessage,
          },
        }
      : {}),
  };
}

function replicasLookup(objects: KubeObject[]): (o: { kind: string; name: string; uid: string }) => number | undefined {
  const byUid = new Map(objects.map((o) => [o.metadata.uid, o]));
  return (o) => {
    const ctl = byUid.get(o.uid);
    return typeof ctl?.spec?.replicas === 'number' ? ctl.spec.replicas : undefined;
  };
}

/**
 * One cluster-autoscaler loop (RunOnce): let booted nodes join, then scale up for unschedulable
 * pods or else work on scale-down, then publish the status ConfigMap, the report behind
 * `GET …/autoscaler/status` and the decisions log. Mutates `state`.
 */
export async function runAutoscalerLoop(
  pass: Pass,
  provider: NodeGroupProvider,
  cluster: ClusterRow,
  initialPools: NodePoolRow[],
  settings: AutoscalerSettings,
  state: CaState,
  now: number,
): Promise<AutoscalerReport> {
  const { store } = pass;
  const log: DecisionEvent[] = [];
  let nodes = (await store.list(cluster.id, 'nodes')).items;
  let pools = initialPools;
  state.backoff ??= {};
  if (await handleFailedScaleUps(provider, state, now, settings.maxNodeProvisionTimeSeconds * 1000, backoffPolicy(settings), log)) {
    pools = await provider.pools();
  }
  if (!settings.dryRun && (await completeProvisioning(provider, cluster, pools, nodes, state, now, log))) {
    nodes = (await store.list(cluster.id, 'nodes')).items;
  }

  const pods = (await store.list(cluster.id, 'pods')).items;
  const input = await loadClusterView(store, cluster.id, nodes, pods);
  const snapshot = buildSnapshot(input);
  const daemonSets = (await store.list(cluster.id, 'daemonsets.apps')).items;
  const groups = nodeGroupsOf(cluster, pools, daemonSets, now);
  const upcoming = upcomingByGroup(state, pools, nodes);
  const priorityClasses = new Map(input.priorityClasses.map((p) => [p.metadata.name!, p]));

  const up = await scaleUpStep(pass, provider, cluster, groups, pods, snapshot, upcoming, settings, state, now, log);
  if (up.scaledUp) {
    pools = await provider.pools();
    const d = up.plan.decision!;
    const g = groups.find((x) => x.name === d.group.name);
    if (g) g.targetSize = d.to;
  }

  const podsByNode = new Map<string, KubeObject[]>();
  for (const p of pods) {
    if (!p.spec?.nodeName) continue;
    const list = podsByNode.get(p.spec.nodeName) ?? [];
    list.push(p);
    podsByNode.set(p.spec.nodeName, list);
  }
  const controllers = [...input.replicaSets, ...input.statefulSets, ...input.replicationControllers];
  const budgets = input.pdbs.map((pdb) => computeBudget(pdb, pods, replicasLookup(controllers)));
  const down = await scaleDownStep(
    pass,
    { provider, cluster, groups, nodes, podsByNode, snapshot, budgets, priorityClasses },
    settings,
    state,
    now,
    up.scaledUp,
    log,
  );

  const registered = registeredByGroup(nodes);
  const readyByGroup = registeredByGroup(nodes.filter(nodeIsReady));
  const upcomingNow = upcomingByGroup(state, pools, nodes);
  const report: AutoscalerReport = {
    at: isoTime(now),
    dryRun: settings.dryRun,
    scaleUp: {
      status: [...upcomingNow.values()].some((n) => n > 0) ? 'InProgress' : 'NoActivity',
      ...(state.lastScaleUpAt !== undefined ? { lastScaleUpTime: isoTime(state.lastScaleUpAt) } : {}),
      options: up.plan.options,
    },
    scaleDown: down.status,
    nodeGroups: groups.map((g) => groupReport(g, pools, registered.get(g.name) ?? 0, readyByGroup.get(g.name) ?? 0, upcomingNow.get(g.name) ?? 0, state, now)),
    nodes: down.nodes,
    pendingPods: up.plan.pods.map((v) => ({
      namespace: v.pod.namespace,
      name: v.pod.name,
      outcome: v.outcome,
      ...(v.node ? { node: v.node } : {}),
      groups: v.groups,
      message:
        v.outcome === 'triggered-scale-up' && up.plan.decision
          ? triggeredMessage(up.plan.decision)
          : v.outcome === 'no-scale-up'
            ? notTriggeredMessage(v)
            : v.outcome === 'fits-existing-node'
              ? `fits on node ${v.node}; waiting for the scheduler`
              : 'fits on a node that is still booting',
    })),
  };

  const configMap = await writeStatusConfigMap(pass, report, state, now);
  for (const e of log) {
    if (configMap && STATUS_EVENT_REASONS.has(e.reason)) {
      await pass.event(configMap, e.type, e.reason, e.message);
    }
  }
  await provider.logDecisions(cluster, log, now);
  return report;
}
