import type { KubeObject } from '../kube/types.ts';

/**
 * The most pods a cluster may store (its plan's bound), or undefined for no bound. Every pod
 * counts, whatever its phase: stored pods are what the service's workers carry.
 */
export type PodLimit = (clusterId: string) => Promise<number | undefined>;

/** A cluster's pod bound and the pods it stores now. */
export interface PodRoom {
  limit: number;
  used: number;
}

/**
 * The API server's refusal of pods beyond the bound, worded like a quota refusal. Admission names
 * a generated object by its generateName (upstream's name generation comes later), so a
 * controller's repeated refusals read the same and count up on one Event.
 */
export function podLimitMessage(pod: KubeObject, requested: number, room: PodRoom): string {
  const name = pod.metadata.generateName || pod.metadata.name || '';
  return `pods "${name}" is forbidden: exceeded the pod limit of this cluster's plan, requested: pods=${requested}, used: pods=${room.used}, limited: pods=${room.limit}`;
}
