import type { Controller, ReconcileContext, ReconcileResult } from '../../controllers/runtime.ts';
import { Pass } from '../../controllers/shared/pass.ts';
import type { Container, Pod } from '../../kube/objects.ts';
import type { VerticalPodAutoscaler, VpaContainerRecommendation } from '../../kube/admission/vpa/types.ts';
import { podUsageReader, type StoredSample } from '../../metrics/read.ts';
import { containerRequests } from '../../lib/resources.ts';
import { stateTable } from '../state.ts';
import { evictPod } from '../../kube/evict.ts';
import { addCpuSample, addMemorySample, addOomSample, emptyAggregate, type ContainerAggregate } from './aggregate.ts';
import { isEmpty } from './histogram.ts';
import { containerRecommendation, estimate } from './recommend.ts';
import { dropVpaCondition, setVpaCondition } from './status.ts';
import { targetResource, vpaSelectsPod, VPA_RESOURCE } from '../../kube/admission/vpa/target.ts';
import { podsToEvict, UPDATER } from './updater.ts';

/** The recommender and the updater each run once a minute (k8s-behavior §14.2–14.3). */
const INTERVAL_MS = UPDATER.intervalMs;

interface VpaState {
  lastRunAt: number;
  /** The spec generation last acted on: a spec change is acted on at once. */
  generation?: number;
  lastSampleAt?: number;
  containers: Record<string, ContainerAggregate>;
}

/** Feeds the samples since the last run into the per-container aggregates: the newest CPU sample of each pod, the memory peak. */
function ingest(state: VpaState, pods: Pod[], samples: StoredSample[]): void {
  const names = new Set(pods.map((p) => p.metadata.name!));
  const newest = new Map<string, StoredSample>();
  for (const s of samples) {
    if (!names.has(s.name)) continue;
    const prev = newest.get(s.name);
    if (!prev || s.at > prev.at) newest.set(s.name, s);
    for (const c of s.containers ?? []) addMemorySample((state.containers[c.name] ??= emptyAggregate()), c.memoryBytes, s.at);
    state.lastSampleAt = Math.max(state.lastSampleAt ?? 0, s.at);
  }
  for (const s of newest.values()) for (const c of s.containers ?? []) addCpuSample((state.containers[c.name] ??= emptyAggregate()), c.cpuMilli / 1000, s.at);
}

/** OOM kills since the last run push the memory estimate up. */
function ingestOoms(state: VpaState, pods: Pod[], since: number): void {
  for (const pod of pods) {
    for (const cs of pod.status?.containerStatuses ?? []) {
      const t = cs.lastState?.terminated;
      if (t?.reason !== 'OOMKilled' || !(Date.parse(t.finishedAt!) > since)) continue;
      const a = (state.containers[cs.name] ??= emptyAggregate());
      const spec = (pod.spec?.containers ?? []).find((c) => c.name === cs.name);
      const request = containerRequests(spec).memory ?? 0;
      addOomSample(a, Math.max(request, a.memoryPeak?.value ?? 0), Date.parse(t.finishedAt!));
    }
  }
}

function recommendationFor(vpa: VerticalPodAutoscaler, state: VpaState, templateContainers: string[]): VpaContainerRecommendation[] {
  const recs: VpaContainerRecommendation[] = [];
  for (const name of templateContainers) {
    const a = state.containers[name];
    if (!a || isEmpty(a.cpu)) continue;
    const rec = containerRecommendation(vpa, name, estimate(a, templateContainers.length));
    if (rec) recs.push(rec);
  }
  return recs;
}

/**
 * The VPA recommender and updater of one cluster: once a minute each VerticalPodAutoscaler's
 * target pods feed decaying histograms (kept in the autoscaling state table, as upstream keeps
 * checkpoints), the recommendation and conditions go to its status, and in Recreate/Auto mode pods
 * outside the bounds are evicted through the Eviction API (PodDisruptionBudgets apply). The
 * recreated pods get the target from the VPA admission hook.
 */
export const vpaController: Controller = {
  name: 'vertical-pod-autoscaler',
  watches: [VPA_RESOURCE],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const pass = new Pass(ctx, 'vpa-updater');
    const now = pass.nowMs;
    const vpas = (await ctx.store.list(ctx.clusterId, VPA_RESOURCE)).items;
    const table = stateTable<VpaState>(ctx.store, ctx.clusterId, 'vpa');
    const states = await table.load();
    table.forget([...states.keys()].filter((k) => !vpas.some((v) => v.metadata.uid === k)));
    const isDue = (v: VerticalPodAutoscaler) => {
      const s = states.get(v.metadata.uid!);
      return !s || now - s.lastRunAt >= INTERVAL_MS || s.generation !== v.metadata.generation;
    };
    const due = vpas.filter(isDue);
    const batch: VerticalPodAutoscaler[] = [];
    if (due.length) {
      const since = Math.min(...due.map((v) => states.get(v.metadata.uid!)?.lastSampleAt ?? 0));
      // Read up to the cluster's now: usage that has not changed since the last metrics pass still counts as scrapes.
      const samples = await podUsageReader(ctx.store, ctx.clusterId, now).since(since + 1);
      const podsByNs = new Map<string, Pod[]>();
      // Each VPA costs its state row, its status and its evictions: the rest wait for the next pass.
      for (const vpa of due) {
        if (pass.exhausted) break;
        batch.push(vpa);
        const ns = vpa.metadata.namespace!;
        if (!podsByNs.has(ns)) podsByNs.set(ns, (await ctx.store.list(ctx.clusterId, 'pods', { namespace: ns })).items);
        const state: VpaState = states.get(vpa.metadata.uid!) ?? { lastRunAt: 0, containers: {} };
        await syncVpa(
          pass,
          vpa,
          state,
          podsByNs.get(ns)!,
          samples.filter((s) => s.namespace === ns && s.at > (state.lastSampleAt ?? 0)),
          now,
        );
        state.lastRunAt = now;
        state.generation = vpa.metadata.generation;
        pass.spend();
        table.save(vpa.metadata.uid!, state, now);
      }
    }
    await table.commit();
    if (due.length > batch.length || vpas.length === 0) return pass.result();
    // Due again once a minute after each VPA's last run: the earliest of them (a VPA just run counts from now).
    let next = INTERVAL_MS;
    for (const v of vpas) {
      const s = states.get(v.metadata.uid!);
      if (s && !batch.includes(v)) next = Math.min(next, Math.max(1, s.lastRunAt + INTERVAL_MS - now));
    }
    pass.wakeAt(now + next);
    return pass.result();
  },
};

async function syncVpa(pass: Pass, vpa: VerticalPodAutoscaler, state: VpaState, namespacePods: Pod[], samples: StoredSample[], now: number): Promise<void> {
  const resource = targetResource(vpa);
  const { ctx } = pass;
  const target = resource ? await ctx.store.get(ctx.clusterId, resource, vpa.metadata.namespace!, vpa.spec?.targetRef?.name ?? '') : undefined;
  let conditions = vpa.status?.conditions ?? [];
  let recommendation = vpa.status?.recommendation;
  const pods = namespacePods.filter((p) => vpaSelectsPod(vpa, p));
  if (!target) {
    conditions = setVpaCondition(
      conditions,
      'ConfigUnsupported',
      'True',
      'FailedGetTargetRef',
      `Cannot read targetRef: ${vpa.spec?.targetRef?.kind}/${vpa.spec?.targetRef?.name} not found`,
      now,
    );
    conditions = setVpaCondition(conditions, 'RecommendationProvided', 'False', '', '', now);
  } else {
    conditions = dropVpaCondition(conditions, 'ConfigUnsupported');
    ingest(state, pods, samples);
    ingestOoms(state, pods, state.lastRunAt);
    // The target is a workload with a pod template (Deployment, StatefulSet...).
    const containers: Container[] = target.spec?.template?.spec?.containers ?? pods[0]?.spec?.containers ?? [];
    const templateContainers = containers.map((c) => c.name);
    const recs = recommendationFor(vpa, state, templateContainers);
    if (recs.length) recommendation = { containerRecommendations: recs };
    if (pods.length === 0) conditions = setVpaCondition(conditions, 'NoPodsMatched', 'True', 'NoPodsMatched', 'No pods match this VPA object', now);
    else conditions = dropVpaCondition(conditions, 'NoPodsMatched');
    conditions = recommendation
      ? setVpaCondition(conditions, 'RecommendationProvided', 'True', '', '', now)
      : setVpaCondition(
          conditions,
          'RecommendationProvided',
          'False',
          pods.length ? '' : 'NoPodsMatched',
          pods.length ? '' : 'No pods match this VPA object',
          now,
        );
  }
  const status = { ...(recommendation ? { recommendation } : {}), conditions };
  let current = vpa;
  if (JSON.stringify(status) !== JSON.stringify(vpa.status ?? {})) {
    const written = await pass.attempt(() => ctx.store.update(ctx.clusterId, VPA_RESOURCE, { ...vpa, status }));
    if (!written) return;
    current = written;
  }
  if (!target) return;
  for (const c of podsToEvict(current, pods, typeof target.spec?.replicas === 'number' ? target.spec.replicas : undefined, now)) {
    pass.spend(3); // the disruption budget, the DisruptionTarget mark, the delete
    const r = await evictPod(ctx.store, ctx.clusterId, c.pod, now);
    if (!r.evicted) continue;
    await pass.event(c.pod, 'Normal', 'EvictedByVPA', 'Pod was evicted by VPA Updater to apply resource recommendation.');
    await pass.event(current, 'Normal', 'EvictedPod', `VPA Updater evicted Pod ${c.pod.metadata.name} to apply resource recommendation.`);
  }
}
