import { isoTime } from '../lib/clock.ts';
import { replaceCondition } from '../lib/conditions.ts';
import type { KubeObject } from '../kube/types.ts';
import { prepareEventWrite, type EventType } from '../kube/events.ts';
import type { ObjectStore, WriteOp } from '../store/objects.ts';
import { SCHEDULING_RESULT_ANNOTATION, type SchedulingRecord } from './explain.ts';

export const SCHEDULER_COMPONENT = 'default-scheduler';

interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

/** Sets a pod condition; lastTransitionTime moves only when the status flips. */
export function setPodCondition(pod: KubeObject, cond: PodCondition, nowIso: string): void {
  pod.status ??= {};
  const next: PodCondition = { lastProbeTime: null, ...cond, lastTransitionTime: nowIso };
  if (!next.reason) delete next.reason;
  if (!next.message) delete next.message;
  pod.status.conditions = replaceCondition<PodCondition>(pod.status.conditions, next);
}

function withRecord(pod: KubeObject, record: SchedulingRecord): KubeObject {
  const next = structuredClone(pod);
  next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [SCHEDULING_RESULT_ANNOTATION]: JSON.stringify(record) };
  return next;
}

/** The pod as the binding leaves it: on its node, PodScheduled=True, no longer nominated. */
export function boundPod(pod: KubeObject, node: string, record: SchedulingRecord, nowMs: number): KubeObject {
  const next = withRecord(pod, record);
  next.spec.nodeName = node;
  setPodCondition(next, { type: 'PodScheduled', status: 'True' }, isoTime(nowMs));
  if (next.status?.nominatedNodeName) delete next.status.nominatedNodeName;
  return next;
}

/** The pod after a failed attempt: PodScheduled=False/Unschedulable with the FitError text. */
export function unschedulablePod(pod: KubeObject, message: string, nominatedNode: string | undefined, record: SchedulingRecord, nowMs: number): KubeObject {
  const next = withRecord(pod, record);
  setPodCondition(next, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }, isoTime(nowMs));
  next.status.phase ??= 'Pending';
  if (nominatedNode) next.status.nominatedNodeName = nominatedNode;
  else delete next.status.nominatedNodeName;
  return next;
}

/** The pod with only its scheduling record updated (waiting for its volumes to bind). */
export function recordedPod(pod: KubeObject, record: SchedulingRecord): KubeObject {
  return withRecord(pod, record);
}

const SCHEDULER_SOURCE = { component: SCHEDULER_COMPONENT };

/**
 * A create (or, for a repeat of the same reason and message, a count bump) of a core/v1 Event from
 * the scheduler, as a write op so it commits together with the pods it describes.
 */
export function eventOp(
  store: ObjectStore,
  clusterId: string,
  involved: KubeObject,
  type: EventType,
  reason: string,
  message: string,
  nowMs: number,
  /** Skip the lookup when the event cannot exist yet (e.g. the one Scheduled event of a pod). */
  knownNew = false,
): Promise<WriteOp> {
  return prepareEventWrite(
    store,
    clusterId,
    { involved, type, reason, message, source: SCHEDULER_SOURCE, defaultType: { apiVersion: 'v1', kind: 'Pod' } },
    nowMs,
    { knownNew },
  );
}
