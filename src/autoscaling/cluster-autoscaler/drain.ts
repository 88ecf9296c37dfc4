import type { IVolume } from 'kubernetes-models/v1';
import type { KubeObject } from '../../kube/types.ts';
import { isDaemonSetPod } from '../../kube/evict.ts';

export const SAFE_TO_EVICT = 'cluster-autoscaler.kubernetes.io/safe-to-evict';
export const SCALE_DOWN_DISABLED = 'cluster-autoscaler.kubernetes.io/scale-down-disabled';
const MIRROR = 'kubernetes.io/config.mirror';

export type BlockingReason = 'NotSafeToEvictAnnotation' | 'NotReplicated' | 'LocalStorageRequested' | 'UnmovableKubeSystemPod' | 'NotEnoughPdb';

export interface BlockingPod {
  pod: string;
  reason: BlockingReason;
  message: string;
}

export interface DrainOptions {
  skipNodesWithLocalStorage: boolean;
  skipNodesWithSystemPods: boolean;
}

export interface NodeDrain {
  /** Pods that must be rescheduled elsewhere. */
  move: KubeObject[];
  /** DaemonSet and mirror pods: they go with the node. */
  stay: KubeObject[];
  blocking?: BlockingPod;
}

const key = (p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`;
const controllerOf = (p: KubeObject) => (p.metadata.ownerReferences ?? []).find((r) => r.controller);

/**
 * The drainability rules of cluster-autoscaler, in its order: mirror and DaemonSet pods stay,
 * `safe-to-evict: "true"` moves anything, `"false"` blocks, then unreplicated pods, kube-system
 * pods without a PodDisruptionBudget and pods with local storage block. Finished and terminating
 * pods are ignored.
 */
export function drainNode(pods: KubeObject[], pdbCovered: (pod: KubeObject) => boolean, opts: DrainOptions): NodeDrain {
  const out: NodeDrain = { move: [], stay: [] };
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed' || p.metadata.deletionTimestamp) continue;
    if (p.metadata.annotations?.[MIRROR] !== undefined || isDaemonSetPod(p)) {
      out.stay.push(p);
      continue;
    }
    const safe = p.metadata.annotations?.[SAFE_TO_EVICT];
    if (safe === 'true') {
      out.move.push(p);
      continue;
    }
    const block = (reason: BlockingReason, message: string) => (out.blocking ??= { pod: key(p), reason, message });
    if (safe === 'false') block('NotSafeToEvictAnnotation', `pod annotated as not safe to evict present: ${p.metadata.name}`);
    else if (!controllerOf(p)) block('NotReplicated', `${key(p)} is not replicated`);
    else if (opts.skipNodesWithSystemPods && p.metadata.namespace === 'kube-system' && !pdbCovered(p))
      block('UnmovableKubeSystemPod', `non-daemonset, non-mirrored, non-pdb-assigned kube-system pod present: ${p.metadata.name}`);
    else if (opts.skipNodesWithLocalStorage && (p.spec?.volumes ?? []).some((v: IVolume) => v.emptyDir || v.hostPath))
      block('LocalStorageRequested', `pod with local storage present: ${p.metadata.name}`);
    out.move.push(p);
  }
  return out;
}
