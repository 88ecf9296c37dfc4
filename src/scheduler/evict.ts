import { isoTime } from '../lib/clock.ts';
import { requestDeletion } from '../kube/deletion.ts';
import type { KubeObject } from '../kube/types.ts';
import type { Logger } from '../lib/logger.ts';
import { StoreError } from '../store/errors.ts';
import type { ObjectStore } from '../store/objects.ts';
import { eventOp, SCHEDULER_COMPONENT, setPodCondition } from './writes.ts';
import type { PodInfo } from './types.ts';

/**
 * Evicts one preemption victim the way kube-scheduler does: mark it DisruptionTarget
 * (PreemptionByScheduler), delete it with its grace period (the kubelet finishes the job), and
 * record `Preempted` on it. Returns the victim as it is now, or undefined when it is already gone.
 */
export async function evictVictim(
  store: ObjectStore,
  clusterId: string,
  victim: PodInfo,
  preemptor: PodInfo,
  node: string,
  nowMs: number,
  log?: Logger,
): Promise<KubeObject | undefined> {
  const ns = victim.namespace;
  let current: KubeObject | undefined = victim.pod;
  for (let attempt = 0; attempt < 3 && current; attempt++) {
    const marked = structuredClone(current);
    setPodCondition(
      marked,
      {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'PreemptionByScheduler',
        message: `${SCHEDULER_COMPONENT}: preempting to accommodate a higher priority pod`,
      },
      isoTime(nowMs),
    );
    try {
      current = await store.update(clusterId, 'pods', marked);
      break;
    } catch (err) {
      if (!(err instanceof StoreError) || err.reason !== 'Conflict') throw err;
      current = await store.get(clusterId, 'pods', ns, victim.name);
      if (current?.metadata.uid !== victim.uid) current = undefined;
    }
  }
  if (!current) return undefined;
  try {
    const { object } = await requestDeletion(store, clusterId, 'pods', ns, victim.name, { preconditions: { uid: victim.uid } });
    const ev = await eventOp(store, clusterId, current, 'Normal', 'Preempted', `Preempted by pod ${preemptor.uid} on node ${node}`, nowMs);
    await store.commit(clusterId, [ev]).catch((err) => log?.debug({ err: (err as Error).message }, 'Preempted event not recorded'));
    return object;
  } catch (err) {
    if (err instanceof StoreError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return undefined;
    throw err;
  }
}
