import type { ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import { Pass } from '../controllers/shared/pass.ts';
import { objectCacheFor } from '../controllers/shared/object-cache.ts';
import { isoTime } from '../lib/clock.ts';
import type { KubeObject } from '../kube/types.ts';
import { BatchWriter } from './batch-writer.ts';
import { loadCore, loadSnapshotInput } from './cluster-loader.ts';
import { evictVictim } from './evict.ts';
import { decisionSummary, explain, scheduledMessage, type SchedulingRecord } from './explain.ts';
import { fitErrorMessage } from './fit-error.ts';
import { scheduleOne, type ScheduleResult } from './framework.ts';
import { computePodInfo } from './pod-info.ts';
import { preempt } from './preemption.ts';
import { defaultProfile, type Profile } from './profile.ts';
import { awaitsScheduling, backoffMs, DEFAULT_SCHEDULER, isGated, previousRecord, queueDecision, queueOrder } from './queue.ts';
import type { PendingIndex } from './pending-index.ts';
import { addNominated, assumePod, buildSnapshot, invalidateMemo, removeNominated } from './snapshot.ts';
import { clusterStateHash } from './state-hash.ts';
import { fnv1a32, utf8 } from '../controllers/shared/fnv.ts';
import type { PodInfo, Snapshot } from './types.ts';
import { assumeVolumes, VOLUME_BIND_TIMEOUT_MS, VOLUME_RECHECK_MS, volumesInProgress } from './volume-assume.ts';
import { boundPod, eventOp, recordedPod, setPodCondition, unschedulablePod } from './writes.ts';

export interface SchedulingPassOptions {
  schedulerName?: string;
  /** Scheduling attempts per pass; the rest wait for the next pass (`more: true`). */
  maxPodsPerPass?: number;
  /** Object writes per transaction. */
  writeBatchSize?: number;
  maxExplainedNodes?: number;
  percentageOfNodesToScore?: number;
  random?: () => number;
  profile?: Profile;
}

/**
 * The scheduler's budget counts scheduling attempts rather than single writes: an attempt is a pod
 * write and its Event, and the BatchWriter commits them 100 ops at a time (a bigger commit holds the event loop for too long), so a thousand attempts
 * cost a handful of commits (a large rollout is placed in one pass, as kube-scheduler binds in bulk).
 */
export const DEFAULT_MAX_PODS_PER_PASS = 1_000;
const DEFAULT_WRITE_BATCH = 100;

interface PassContext {
  ctx: ReconcileContext;
  opts: SchedulingPassOptions;
  profile: Profile;
  snapshot: Snapshot;
  writer: BatchWriter;
  nowMs: number;
}

/**
 * One scheduling pass over a cluster: list what waits for this scheduler, then schedule pod after
 * pod (priority order) against an in-memory snapshot that absorbs each binding, writing bindings,
 * conditions and events in batched commits. Unschedulable pods back off per pod and come back when
 * the cluster changes (see queueDecision).
 */
export async function runSchedulingPass(ctx: ReconcileContext, opts: SchedulingPassOptions = {}, index?: PendingIndex): Promise<ReconcileResult> {
  const pass = new Pass(ctx, DEFAULT_SCHEDULER, opts.maxPodsPerPass ?? DEFAULT_MAX_PODS_PER_PASS);
  const { store, clusterId, nowMs } = pass;
  const schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER;
  if ((await index?.anyWaiting(store, clusterId)) === false) return pass.result();
  // Through the worker's informer: a pass during a burst of creates parses only the pods that
  // changed since the last one. Shared objects (never changed here: writes.ts copies), in
  // namespace/name order, the store's list order, so ties in the queue and the snapshot fall as before.
  const listed = await objectCacheFor(store).snapshot(clusterId, 'pods');
  const pods = listed.objects.map((o) => o.object());
  index?.reset(store, clusterId, listed.revision, pods);
  const writer = new BatchWriter(store, clusterId, opts.writeBatchSize ?? DEFAULT_WRITE_BATCH, ctx.log);
  const waiting = pods.filter((p) => awaitsScheduling(p, schedulerName));
  for (const pod of waiting.filter(isGated)) await writer.add(gatedCondition(pod, nowMs));
  const candidates = waiting.filter((p) => !isGated(p));
  if (candidates.length === 0) {
    await writer.flush();
    return pass.result();
  }
  const core = await loadCore(store, clusterId, pods);
  const clusterHash = clusterStateHash(core);
  // Pods still backing off, or whose failure nothing relevant has touched, wait without a snapshot.
  let retryIn = Infinity;
  const due: KubeObject[] = [];
  for (const p of candidates) {
    const decision = queueDecision(p, nowMs, podStateHash(clusterHash, p));
    if (decision.now) due.push(p);
    else retryIn = Math.min(retryIn, decision.retryInMs);
  }
  if (due.length === 0) {
    await writer.flush();
    return retryAfter(pass, retryIn);
  }
  const snapshot = buildSnapshot(await loadSnapshotInput(store, clusterId, core));
  const pc: PassContext = { ctx, opts, profile: opts.profile ?? defaultProfile, snapshot, writer, nowMs };
  const queue = due.map((p) => computePodInfo(p, snapshot.priorityClasses)).sort(queueOrder);
  let startIndex = 0;
  for (const pod of queue) {
    if (pass.exhausted) break; // the rest next pass (`more`)
    const prev = previousRecord(pod.pod);
    const waitedForVolumes = prev?.outcome === 'WaitingForVolumes' ? nowMs - Date.parse(prev.lastAttempt) : 0;
    if (waitedForVolumes < VOLUME_BIND_TIMEOUT_MS && volumesInProgress(pod, snapshot)) {
      retryIn = Math.min(retryIn, VOLUME_RECHECK_MS);
      continue;
    }
    pass.spend();
    const result = scheduleOne(pod, snapshot, {
      profile: pc.profile,
      random: opts.random,
      startIndex,
      percentageOfNodesToScore: opts.percentageOfNodesToScore,
    });
    startIndex = result.nextStartIndex;
    const attempts = (prev?.outcome === 'Unschedulable' ? (prev.attempts ?? 0) : 0) + 1;
    if (result.node) {
      const waitsForVolumes = await bind(pc, pod, result, attempts);
      if (waitsForVolumes) retryIn = Math.min(retryIn, VOLUME_RECHECK_MS);
    } else {
      await reportUnschedulable(pc, pod, result, attempts, podStateHash(clusterHash, pod.pod));
      retryIn = Math.min(retryIn, backoffMs(attempts));
    }
  }
  await writer.flush();
  return retryAfter(pass, retryIn);
}

/** The pass's answer, due again when the first backed-off or volume-waiting pod is (whole ms). */
function retryAfter(pass: Pass, retryInMs: number): ReconcileResult {
  if (Number.isFinite(retryInMs)) pass.wakeAt(pass.nowMs + Math.ceil(retryInMs));
  return pass.result();
}

/** The cluster fingerprint plus the pod's own spec (pods have no generation; a gate or toleration may change). */
function podStateHash(clusterHash: string, pod: KubeObject): string {
  return `${clusterHash}.${fnv1a32(utf8(JSON.stringify(pod.spec ?? {}))).toString(36)}`;
}

function record(pc: PassContext, result: ScheduleResult, extra: Partial<SchedulingRecord> & Pick<SchedulingRecord, 'outcome' | 'attempts'>): SchedulingRecord {
  // Millisecond precision: the back-off is measured from it.
  return explain(result, { lastAttempt: new Date(pc.nowMs).toISOString(), ...extra }, { profile: pc.profile, maxNodes: pc.opts.maxExplainedNodes });
}

/** Binds the pod, or first promises its delayed volumes to the node (returns true then). */
async function bind(pc: PassContext, pod: PodInfo, result: ScheduleResult, attempts: number): Promise<boolean> {
  const { ctx, writer, snapshot, nowMs } = pc;
  const node = result.node!;
  const volumeOps = assumeVolumes(pod, node, snapshot);
  if (volumeOps.length) {
    const rec = record(pc, result, { outcome: 'WaitingForVolumes', attempts });
    await writer.add([...volumeOps, { op: 'update', resource: 'pods', object: recordedPod(pod.pod, rec) }]);
    return true;
  }
  const rec = record(pc, result, { outcome: 'Scheduled', attempts, summary: decisionSummary(result, pc.profile) });
  assumePod(snapshot, pod, node);
  const event = await eventOp(ctx.store, ctx.clusterId, pod.pod, 'Normal', 'Scheduled', scheduledMessage(result), nowMs, true);
  await writer.add([{ op: 'update', resource: 'pods', object: boundPod(pod.pod, node, rec, nowMs) }, event]);
  return false;
}

/** Runs preemption, then records PodScheduled=False with the FitError text and a FailedScheduling event. */
async function reportUnschedulable(pc: PassContext, pod: PodInfo, result: ScheduleResult, attempts: number, stateHash: string): Promise<void> {
  const { ctx, writer, snapshot, nowMs } = pc;
  const pre = preempt(result, snapshot, { profile: pc.profile, random: pc.opts.random });
  // A nomination stands while its victims terminate; a failed preemption withdraws it.
  const nominated = pre.nominatedNode ?? (pre.keepNomination ? pod.pod.status?.nominatedNodeName : undefined);
  if (pre.nominatedNode) {
    for (const victim of pre.victims) {
      const gone = await evictVictim(ctx.store, ctx.clusterId, victim, pod, pre.nominatedNode, nowMs, ctx.log);
      // Victims keep their room until the kubelet removes them, but count as terminating from now on.
      if (gone) Object.assign(victim, { pod: gone, terminating: true });
    }
    invalidateMemo(snapshot);
    for (const displaced of pre.displacedNominations) {
      const next = structuredClone(displaced.pod);
      delete next.status?.nominatedNodeName;
      await writer.add([{ op: 'update', resource: 'pods', object: next }]);
      removeNominated(snapshot, displaced);
    }
  }
  if (nominated) addNominated(snapshot, pod, nominated);
  else removeNominated(snapshot, pod);
  const message = fitErrorMessage(result, pre.message);
  const rec = record(pc, result, {
    outcome: 'Unschedulable',
    attempts,
    message,
    stateHash,
    preemption: pre.nominatedNode
      ? { nominatedNode: pre.nominatedNode, victims: pre.victims.map((v) => `${v.namespace}/${v.name}`) }
      : { message: pre.message },
  });
  const event = await eventOp(ctx.store, ctx.clusterId, pod.pod, 'Warning', 'FailedScheduling', message, nowMs);
  await writer.add([{ op: 'update', resource: 'pods', object: unschedulablePod(pod.pod, message, nominated, rec, nowMs) }, event]);
}

/** A gated pod shows PodScheduled=False/SchedulingGated until its gates are removed. */
function gatedCondition(pod: KubeObject, nowMs: number): { op: 'update'; resource: string; object: KubeObject }[] {
  const cond = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
  if (cond?.reason === 'SchedulingGated') return [];
  const next = structuredClone(pod);
  setPodCondition(
    next,
    { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    isoTime(nowMs),
  );
  return [{ op: 'update', resource: 'pods', object: next }];
}
