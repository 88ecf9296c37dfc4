import { isoTime } from '../lib/clock.ts';
import type { ObjectStore } from '../store/objects.ts';
import { StoreError } from '../store/errors.ts';
import type { KubeObject } from './types.ts';

export type EventType = 'Normal' | 'Warning';

/** Records core/v1 Events about objects, as controllers and the scheduler do on a real cluster. */
export interface EventRecorder {
  record(involved: KubeObject, type: EventType, reason: string, message: string, component?: string): Promise<void>;
}

/**
 * Events are namespaced with the involved object (cluster-scoped objects use `default`, as kubelet
 * does for nodes). A repeat of the same reason and message on the same object bumps `count` and
 * `lastTimestamp` instead of creating a new Event, like the client-go event correlator.
 */
export function storeEventRecorder(store: ObjectStore, clusterId: string, now: () => number): EventRecorder {
  return {
    async record(involved, type, reason, message, component = 'kates') {
      const ns = involved.metadata.namespace || 'default';
      const key = `${involved.metadata.uid ?? involved.metadata.name}.${reason}.${hash(message)}`;
      const name = `${involved.metadata.name}.${key.replace(/[^a-z0-9]/gi, '').slice(-16).toLowerCase()}`;
      const ts = isoTime(now());
      for (let attempt = 0; attempt < 3; attempt++) {
        const existing = await store.get(clusterId, 'events', ns, name);
        try {
          if (existing) {
            existing.count = ((existing.count as number) ?? 1) + 1;
            existing.lastTimestamp = ts;
            await store.update(clusterId, 'events', existing);
          } else {
            await store.create(clusterId, 'events', {
              apiVersion: 'v1',
              kind: 'Event',
              metadata: { name, namespace: ns },
              involvedObject: {
                apiVersion: involved.apiVersion,
                kind: involved.kind,
                name: involved.metadata.name,
                namespace: involved.metadata.namespace,
                uid: involved.metadata.uid,
                resourceVersion: involved.metadata.resourceVersion,
              },
              reason,
              message,
              type,
              source: { component },
              reportingComponent: component,
              reportingInstance: component,
              count: 1,
              firstTimestamp: ts,
              lastTimestamp: ts,
              eventTime: null,
            });
          }
          return;
        } catch (err) {
          // A concurrent writer recorded the same event first: read it again and bump it.
          if (err instanceof StoreError && (err.reason === 'AlreadyExists' || err.reason === 'Conflict')) continue;
          throw err;
        }
      }
    },
  };
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
