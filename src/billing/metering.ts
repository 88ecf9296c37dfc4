import type { KubeObject } from '../kube/types.ts';
import { podRequests } from '../lib/resources.ts';
import { parseQuantityInt } from '../lib/quantity.ts';
import type { IntervalAttributes, IntervalKey } from './intervals.ts';

/**
 * What the owners of pods, volumes and load balancers record in their billing intervals, computed
 * from the Kubernetes objects, so every owner meters the same way. Pass the result to
 * `openInterval` / `replaceInterval` in the same commit as the state change.
 */

/** Key of a pod's interval: `ns/name`. */
export function podIntervalKey(clusterId: string, pod: KubeObject): IntervalKey {
  return { clusterId, kind: 'pod', subject: `${pod.metadata.namespace}/${pod.metadata.name}` };
}

/** Key of a PersistentVolume's interval: its name. */
export function volumeIntervalKey(clusterId: string, pv: KubeObject): IntervalKey {
  return { clusterId, kind: 'volume', subject: pv.metadata.name ?? '' };
}

/** Key of a LoadBalancer Service's interval: `ns/name`. */
export function loadBalancerIntervalKey(clusterId: string, svc: KubeObject): IntervalKey {
  return { clusterId, kind: 'loadbalancer', subject: `${svc.metadata.namespace}/${svc.metadata.name}` };
}

/** Key of an Ingress's load balancer interval: `ingress:ns/name` (apart from a Service of the same name). */
export function ingressLoadBalancerIntervalKey(clusterId: string, ing: KubeObject): IntervalKey {
  return { clusterId, kind: 'loadbalancer', subject: `ingress:${ing.metadata.namespace}/${ing.metadata.name}` };
}

/** The top-level workload a pod belongs to, as OpenCost's `controller` does: a ReplicaSet made by a
 * Deployment (its name is the Deployment's plus `-<pod-template-hash>`) counts as the Deployment. */
export function workloadOf(pod: KubeObject): string {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return `Pod/${pod.metadata.name}`;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) return `Deployment/${owner.name.slice(0, -hash.length - 1)}`;
  return `${owner.kind}/${owner.name}`;
}

/** A pod's metered attributes: effective requests (init containers, sidecars and overhead counted as
 * the scheduler does), node, workload, labels and the claims it mounts. */
export function podIntervalAttributes(pod: KubeObject): IntervalAttributes['pod'] {
  const requests = podRequests(pod);
  const claims: string[] = (pod.spec?.volumes ?? [])
    .map((v: { persistentVolumeClaim?: { claimName?: string } }) => v.persistentVolumeClaim?.claimName)
    .filter((c: string | undefined): c is string => typeof c === 'string');
  const attrs: IntervalAttributes['pod'] = {
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name ?? '',
    cpuMilli: requests.cpu ?? 0,
    memoryBytes: requests.memory ?? 0,
    workload: workloadOf(pod),
    labels: { ...(pod.metadata.labels ?? {}) },
  };
  if (pod.spec?.nodeName) attrs.node = pod.spec.nodeName;
  if (requests['ephemeral-storage']) attrs.ephemeralBytes = requests['ephemeral-storage'];
  if (claims.length > 0) attrs.claims = claims;
  return attrs;
}

/** True when a pod change alters what is billed or allocated (requests, node), so its interval must
 * be replaced; label edits alone are not worth a new interval. */
export function podMeteringChanged(before: IntervalAttributes['pod'], after: IntervalAttributes['pod']): boolean {
  return (
    before.cpuMilli !== after.cpuMilli ||
    before.memoryBytes !== after.memoryBytes ||
    (before.ephemeralBytes ?? 0) !== (after.ephemeralBytes ?? 0) ||
    before.node !== after.node
  );
}

/** A PersistentVolume's metered attributes: capacity, class, the class's volume type
 * (`parameters.type` for EBS/PD, `skuName` for Azure disks) and the claim bound to it. */
export function volumeIntervalAttributes(pv: KubeObject, storageClass?: KubeObject): IntervalAttributes['volume'] {
  const params = (storageClass?.parameters ?? {}) as Record<string, string>;
  const attrs: IntervalAttributes['volume'] = { sizeBytes: parseQuantityInt(pv.spec?.capacity?.storage ?? 0) };
  if (pv.spec?.storageClassName) attrs.storageClass = pv.spec.storageClassName;
  const type = params.type ?? params.skuName ?? params.skuname ?? params.storageaccounttype;
  if (type) attrs.volumeType = type;
  if (pv.spec?.claimRef?.name) {
    attrs.claimNamespace = pv.spec.claimRef.namespace;
    attrs.claimName = pv.spec.claimRef.name;
  }
  return attrs;
}

export function loadBalancerIntervalAttributes(svc: KubeObject): IntervalAttributes['loadbalancer'] {
  return { namespace: svc.metadata.namespace ?? 'default', name: svc.metadata.name ?? '' };
}
