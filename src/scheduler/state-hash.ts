import type { KubeObject } from '../kube/types.ts';
import { occupiesNode } from './snapshot.ts';

/** 32-bit FNV-1a, folded over many strings. */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * A fingerprint of what can change a scheduling verdict: nodes (labels, taints, cordon,
 * allocatable), the pods occupying them (placement and labels), volumes and claims. Kubelet
 * heartbeats and pod status churn leave it unchanged, so unschedulable pods are not retried for them.
 */
export function clusterStateHash(objs: { nodes: KubeObject[]; pods: KubeObject[]; pvcs: KubeObject[]; pvs: KubeObject[] }): string {
  let h = 2166136261;
  for (const n of objs.nodes) {
    h = fnv(h, JSON.stringify([n.metadata.name, n.metadata.labels, n.spec?.taints, n.spec?.unschedulable, n.status?.allocatable ?? n.status?.capacity]));
  }
  for (const p of objs.pods) {
    if (!occupiesNode(p)) continue;
    h = fnv(h, `${p.metadata.uid}|${p.spec.nodeName}|${p.metadata.deletionTimestamp ?? ''}|${JSON.stringify(p.metadata.labels ?? {})}`);
  }
  for (const c of objs.pvcs) h = fnv(h, `${c.metadata.namespace}/${c.metadata.name}|${c.spec?.volumeName ?? ''}|${c.status?.phase ?? ''}`);
  for (const v of objs.pvs) h = fnv(h, `${v.metadata.name}|${v.spec?.claimRef?.uid ?? ''}|${v.status?.phase ?? ''}`);
  return h.toString(36);
}
