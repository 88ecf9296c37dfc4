/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../types.ts';

/** events.k8s.io/v1 is served over the stored core/v1 Event (same storage, renamed fields). */
const RENAMES: Array<[core: string, events: string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

function rename(obj: KubeObject, from: 0 | 1, apiVersion: string): KubeObject {
  const out: any = structuredClone(obj);
  out.apiVersion = apiVersion;
  for (const pair of RENAMES) {
    const a = pair[from];
    const b = pair[1 - from];
    if (out[a] !== undefined) {
      out[b] = out[a];
      delete out[a];
    }
  }
  return out;
}

export const coreEventToEventsV1 = (e: KubeObject): KubeObject => rename(e, 0, 'events.k8s.io/v1');
export const eventsV1ToCoreEvent = (e: KubeObject): KubeObject => rename(e, 1, 'v1');
