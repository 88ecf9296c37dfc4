import { asKind } from '../../kube/objects.ts';
import type { ObjectStore } from '../../store/objects.ts';

/**
 * Storage keys of the built-in kinds, with whether they are namespaced. The garbage collector and
 * the namespace controller walk these plus every CustomResourceDefinition's key.
 */
const BUILTIN: [string, boolean][] = [
  ['pods', true],
  ['services', true],
  ['endpoints', true],
  ['configmaps', true],
  ['secrets', true],
  ['serviceaccounts', true],
  ['persistentvolumeclaims', true],
  ['limitranges', true],
  ['resourcequotas', true],
  ['podtemplates', true],
  ['replicationcontrollers', true],
  ['events', true],
  ['events.events.k8s.io', true],
  ['deployments.apps', true],
  ['replicasets.apps', true],
  ['statefulsets.apps', true],
  ['daemonsets.apps', true],
  ['controllerrevisions.apps', true],
  ['jobs.batch', true],
  ['cronjobs.batch', true],
  ['horizontalpodautoscalers.autoscaling', true],
  ['verticalpodautoscalers.autoscaling.k8s.io', true],
  ['poddisruptionbudgets.policy', true],
  ['endpointslices.discovery.k8s.io', true],
  ['leases.coordination.k8s.io', true],
  ['roles.rbac.authorization.k8s.io', true],
  ['rolebindings.rbac.authorization.k8s.io', true],
  ['ingresses.networking.k8s.io', true],
  ['networkpolicies.networking.k8s.io', true],
  ['csistoragecapacities.storage.k8s.io', true],
  ['nodes', false],
  ['persistentvolumes', false],
  ['namespaces', false],
  ['storageclasses.storage.k8s.io', false],
  ['volumeattachments.storage.k8s.io', false],
  ['runtimeclasses.node.k8s.io', false],
  ['priorityclasses.scheduling.k8s.io', false],
  ['clusterroles.rbac.authorization.k8s.io', false],
  ['clusterrolebindings.rbac.authorization.k8s.io', false],
  ['ingressclasses.networking.k8s.io', false],
  ['customresourcedefinitions.apiextensions.k8s.io', false],
];

export interface ResourceKey {
  resource: string;
  namespaced: boolean;
}

/** Built-in keys plus the keys of the cluster's CustomResourceDefinitions (`<plural>.<group>`). */
export async function resourceKeys(store: ObjectStore, clusterId: string): Promise<ResourceKey[]> {
  const keys = BUILTIN.map(([resource, namespaced]) => ({ resource, namespaced }));
  const crds = await store.list(clusterId, 'customresourcedefinitions.apiextensions.k8s.io');
  for (const crd of crds.items.map((o) => asKind('customresourcedefinitions.apiextensions.k8s.io', o))) {
    const plural = crd.spec?.names?.plural;
    const group = crd.spec?.group;
    if (!plural || !group) continue;
    keys.push({ resource: `${plural}.${group}`, namespaced: crd.spec?.scope !== 'Cluster' });
  }
  return keys;
}

/** A `watches` entry that stands for every custom resource's key (which CRDs exist is only known per cluster). */
export const CUSTOM_RESOURCES = '<custom resources>';

const BUILTIN_KEYS = new Set(BUILTIN.map(([r]) => r));

/** Whether a resource key is a custom resource's (`<plural>.<group>` of a CRD): any key not built in. */
export function isCustomResourceKey(resource: string): boolean {
  return !BUILTIN_KEYS.has(resource);
}

/** Keys the garbage collector watches: everything but Events, which own nothing and churn most, and custom objects. */
export const GC_WATCHED = [...BUILTIN.map(([r]) => r).filter((r) => !r.startsWith('events')), CUSTOM_RESOURCES];
export const NAMESPACED_BUILTIN = BUILTIN.filter(([, ns]) => ns).map(([r]) => r);
