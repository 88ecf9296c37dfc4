import { isoTime } from '../lib/clock.ts';
import { hexDigest } from '../lib/digest.ts';
import type { ObjectStore, WriteOp } from '../store/objects.ts';
import { StoreError } from '../store/errors.ts';
import type { KubeObject } from './types.ts';

export type EventType = 'Normal' | 'Warning';

/** Who reports an Event: a controller, the scheduler, or a kubelet (with the node it runs on). */
export interface EventSource {
  component: string;
  host?: string;
}

/** One occurrence of something worth an Event, before it is merged with its repeats. */
export interface EventOccurrence {
  involved: KubeObject;
  type: EventType;
  reason: string;
  message: string;
  source: EventSource;
  /** The part of the involved object it is about, e.g. `spec.containers{web}`. */
  fieldPath?: string;
  /**
   * apiVersion and kind for an involved object stored without them (writers that only ever see
   * pods pass `v1`/`Pod`).
   */
  defaultType?: { apiVersion: string; kind: string };
}

/** Records core/v1 Events about objects, as controllers and the scheduler do on a real cluster. */
export interface EventRecorder {
  record(involved: KubeObject, type: EventType, reason: string, message: string, component?: string): Promise<void>;
}

/** Events live in the involved object's namespace; cluster-scoped objects use `default`, as kubelet does for nodes. */
function eventNamespace(involved: KubeObject): string {
  return involved.metadata.namespace || 'default';
}

/**
 * `<object>.<16 hex>` from what client-go's correlator compares (source, involved object, field,
 * type, reason, message): a repeat gets the same name and so finds the Event it repeats.
 */
export function eventName(e: EventOccurrence): string {
  const m = e.involved.metadata;
  const key = [e.source.component, e.source.host ?? '', m.uid ?? m.name, e.fieldPath ?? '', e.type, e.reason, e.message].join('|');
  return `${m.name}.${hexDigest(key, 16)}`;
}

/**
 * The write that records `count` occurrences at `nowMs`: a bump of `count` and `lastTimestamp` on
 * the Event already there, or a new Event whose first and last timestamps are now.
 */
export function eventWrite(e: EventOccurrence, existing: KubeObject | undefined, nowMs: number, count = 1): WriteOp {
  const ts = isoTime(nowMs);
  if (existing) {
    return { op: 'update', resource: 'events', object: { ...existing, count: Number(existing.count ?? 1) + count, lastTimestamp: ts } };
  }
  const { involved, source } = e;
  return {
    op: 'create',
    resource: 'events',
    object: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: eventName(e), namespace: eventNamespace(involved) },
      involvedObject: {
        apiVersion: involved.apiVersion ?? e.defaultType?.apiVersion,
        kind: involved.kind ?? e.defaultType?.kind,
        name: involved.metadata.name,
        namespace: involved.metadata.namespace,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
        ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}),
      },
      reason: e.reason,
      message: e.message,
      type: e.type,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      reportingComponent: source.component,
      reportingInstance: source.host ?? source.component,
      count,
      firstTimestamp: ts,
      lastTimestamp: ts,
      eventTime: null,
    },
  };
}

/**
 * Reads the Event a repeat would bump and returns the write, for writers that commit Events
 * together with other changes. `knownNew` skips the read when the Event cannot exist yet.
 */
export async function prepareEventWrite(
  store: ObjectStore,
  clusterId: string,
  e: EventOccurrence,
  nowMs: number,
  opts: { count?: number; knownNew?: boolean } = {},
): Promise<WriteOp> {
  const existing = opts.knownNew ? undefined : await store.get(clusterId, 'events', eventNamespace(e.involved), eventName(e));
  return eventWrite(e, existing, nowMs, opts.count);
}

/** Whether a failed Event write lost a race with another writer of the same Event. */
function isEventRace(err: unknown): boolean {
  return err instanceof StoreError && (err.reason === 'AlreadyExists' || err.reason === 'Conflict');
}

/** The recorder controllers get: each Event is its own write, retried when a concurrent writer recorded it first. */
export function storeEventRecorder(store: ObjectStore, clusterId: string, now: () => number): EventRecorder {
  return {
    async record(involved, type, reason, message, component = 'kates') {
      const occurrence: EventOccurrence = { involved, type, reason, message, source: { component } };
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await store.commit(clusterId, [await prepareEventWrite(store, clusterId, occurrence, now())]);
          return;
        } catch (err) {
          // A concurrent writer recorded the same event first: read it again and bump it.
          if (isEventRace(err)) continue;
          throw err;
        }
      }
    },
  };
}
