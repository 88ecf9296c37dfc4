import type { PodCondition } from '../../kube/objects.ts';
import type { Pass } from '../../controllers/shared/pass.ts';
import type { KubeObject } from '../../kube/types.ts';
import { computePodInfo, type Snapshot } from '../../scheduler/index.ts';
import type { ClusterRow } from '../../store/rows.ts';
import { isBackedOff } from './backoff.ts';
import { cloudFaultsOf, faultedCount, instanceError, resizeRefused } from './cloud-faults.ts';
import type { DecisionEvent } from './events-log.ts';
import type { ExpanderFilters } from './expanders.ts';
import type { NodeGroup } from './node-groups.ts';
import type { NodeGroupProvider } from './provider.ts';
import { filterByPriority, PRIORITY_CONFIGMAP, priorityConfigFrom, type PriorityWarning } from './priority-expander.ts';
import { backOffGroup } from './scale-up-failures.ts';
import { NOT_CHOSEN, notTriggeredMessage, planScaleUp, triggeredMessage, type ScaleUpDecision, type ScaleUpPlan } from './scale-up.ts';
import { backoffPolicy, expanderChain, provisioningDelayMs, type AutoscalerSettings } from './settings.ts';
import type { CaState } from './state.ts';

/** NotTriggerScaleUp is repeated at most this often per pod while its reason stays the same. */
const NOT_TRIGGERED_REPEAT_MS = 5 * 60_000;
/** The priority expander's configuration warnings are repeated at most this often each. */
const PRIORITY_WARNING_REPEAT_MS = 5 * 60_000;

/** Pods the scheduler gave up on (PodScheduled=False, Unschedulable), old enough to act on. */
export function unschedulablePods(pods: KubeObject[], now: number, delayMs: number): KubeObject[] {
  return pods.filter((p) => {
    if (p.spec?.nodeName || p.metadata.deletionTimestamp || p.status?.nominatedNodeName) return false;
    if ((p.spec?.schedulerName ?? 'default-scheduler') !== 'default-scheduler') return false;
    const c = (p.status?.conditions ?? []).find((x: PodCondition) => x.type === 'PodScheduled');
    if (!c || c.status !== 'False' || c.reason !== 'Unschedulable') return false;
    return now - (Date.parse(p.metadata.creationTimestamp ?? '') || 0) >= delayMs;
  });
}

export interface ScaleUpStepResult {
  plan: ScaleUpPlan;
  scaledUp: boolean;
}

/**
 * Scale-up half of a loop: plan, then (unless dry-run) raise the chosen pool's target and remember
 * the booting nodes, and tell the pods why they will or will not get a node.
 */
export async function scaleUpStep(
  pass: Pass,
  provider: NodeGroupProvider,
  cluster: ClusterRow,
  groups: NodeGroup[],
  pods: KubeObject[],
  snapshot: Snapshot,
  upcoming: Map<string, number>,
  settings: AutoscalerSettings,
  state: CaState,
  now: number,
  log: DecisionEvent[],
): Promise<ScaleUpStepResult> {
  const pending = unschedulablePods(pods, now, settings.newPodScaleUpDelaySeconds * 1000).map((p) => computePodInfo(p));
  const chain = expanderChain(settings.expander);
  const warnings: PriorityWarning[] = [];
  const filters: ExpanderFilters = {};
  let priorityConfigMap: KubeObject | undefined;
  if (pending.length && chain.includes('priority')) {
    priorityConfigMap = await pass.store.get(cluster.id, 'configmaps', 'kube-system', PRIORITY_CONFIGMAP);
    const config = priorityConfigFrom(priorityConfigMap);
    filters.priority = (options) => filterByPriority(options, (o) => o.group.name, config, warnings);
  }
  const plan = planScaleUp({
    snapshot,
    pending,
    groups,
    upcoming,
    clusterRoom: pending.length ? await provider.room(cluster, settings) : Infinity,
    expanders: chain,
    filters,
    backedOff: new Set(groups.filter((g) => isBackedOff(state.backoff[g.name], now)).map((g) => g.name)),
  });
  await reportPriorityWarnings(pass, priorityConfigMap, warnings, state, now, log);
  let scaledUp = false;
  const d = plan.decision;
  if (d) {
    const what = `setting group ${d.group.name} size to ${d.to} instead of ${d.from} (max: ${d.group.maxSize})`;
    if (settings.dryRun) {
      log.push({ type: 'Normal', reason: 'DryRunScaleUp', message: `dry run: would scale up: ${what} for ${d.pods.length} pod(s)` });
    } else if (refusedByProvider(cluster, d, settings, state, now, log)) {
      // The group is backed off; the next loop tries another one.
    } else if (await provider.setTarget(d.group.name, d.from, d.to)) {
      scaledUp = true;
      state.lastScaleUpAt = now;
      requestInstances(cluster, d, settings, state, now);
      log.push({ type: 'Normal', reason: 'ScaledUpGroup', message: `Scale-up: ${what}` });
      const message = triggeredMessage(d);
      for (const p of d.pods) await pass.event(p.pod, 'Normal', 'TriggeredScaleUp', message);
    }
  }
  const seen = new Set<string>();
  for (const v of plan.pods) {
    seen.add(v.pod.uid);
    // A pod another option could help waits for the next loop rather than hearing "no".
    if (v.outcome !== 'no-scale-up' || Object.keys(v.groups).length === 0 || Object.values(v.groups).includes(NOT_CHOSEN)) continue;
    const message = notTriggeredMessage(v);
    const last = state.notTriggered[v.pod.uid];
    if (last && last.message === message && now - last.at < NOT_TRIGGERED_REPEAT_MS) continue;
    state.notTriggered[v.pod.uid] = { message, at: now };
    await pass.event(v.pod.pod, 'Normal', 'NotTriggerScaleUp', message);
  }
  for (const uid of Object.keys(state.notTriggered)) if (!seen.has(uid)) delete state.notTriggered[uid];
  return { plan, scaledUp };
}

/** The simulated provider refuses the resize (an `api-error` fault): `FailedToScaleUpGroup` and a back-off. */
function refusedByProvider(cluster: ClusterRow, d: ScaleUpDecision, settings: AutoscalerSettings, state: CaState, now: number, log: DecisionEvent[]): boolean {
  const fault = cloudFaultsOf(cluster.settings).find((f) => f.nodePool === d.group.name);
  if (fault?.fault !== 'api-error' || faultedCount(fault, d.from, d.to - d.from) === 0) return false;
  const error = resizeRefused(d.group.name, cluster.provider);
  log.push({ type: 'Warning', reason: 'FailedToScaleUpGroup', message: `Scale-up failed for group ${d.group.name}: ${error.errorMessage}` });
  backOffGroup(state, d.group.name, error, now, backoffPolicy(settings), log);
  return true;
}

/**
 * Remembers the instances the provider is now creating. Those a cloud fault hits either fail (the
 * provider reports it by the next loop) or start without ever registering.
 */
function requestInstances(cluster: ClusterRow, d: ScaleUpDecision, settings: AutoscalerSettings, state: CaState, now: number): void {
  const count = d.to - d.from;
  const fault = cloudFaultsOf(cluster.settings).find((f) => f.nodePool === d.group.name);
  const hit = fault && fault.fault !== 'api-error' ? faultedCount(fault, d.from, count) : 0;
  const base = { group: d.group.name, requestedAt: now, readyAt: now + provisioningDelayMs(settings, cluster.provider) };
  if (count - hit > 0) state.provisioning.push({ ...base, count: count - hit });
  if (hit === 0 || !fault) return;
  if (fault.fault === 'never-registers') state.provisioning.push({ ...base, count: hit, registers: false });
  else
    state.provisioning.push({
      ...base,
      count: hit,
      error: instanceError(fault.fault as 'out-of-capacity' | 'quota-exceeded', cluster.provider, d.group.instanceType, cluster.region),
    });
}

/**
 * The priority expander's complaints: a Warning Event on its ConfigMap (when there is one) and a
 * line in the decisions log, each repeated at most every 5 minutes.
 */
async function reportPriorityWarnings(
  pass: Pass,
  cm: KubeObject | undefined,
  warnings: PriorityWarning[],
  state: CaState,
  now: number,
  log: DecisionEvent[],
): Promise<void> {
  const seen = (state.priorityWarnings ??= {});
  for (const [k, at] of Object.entries(seen)) if (now - at >= PRIORITY_WARNING_REPEAT_MS || now < at) delete seen[k];
  for (const w of warnings) {
    const key = `${w.reason}:${w.message}`;
    if (seen[key] !== undefined) continue;
    seen[key] = now;
    pass.ctx.log.warn({ reason: w.reason }, w.message);
    log.push({ type: 'Warning', reason: w.reason, message: w.message });
    if (cm) await pass.event(cm, 'Warning', w.reason, w.message);
  }
}
