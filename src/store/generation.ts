/**
 * Kinds whose registry strategy never sets metadata.generation upstream (their objects show none);
 * every other kind counts spec changes in it.
 */
const WITHOUT_GENERATION = new Set([
  'pods',
  'services',
  'configmaps',
  'secrets',
  'endpoints',
  'events',
  'serviceaccounts',
  'persistentvolumeclaims',
  'persistentvolumes',
  'limitranges',
  'resourcequotas',
  'nodes',
  'namespaces',
  'componentstatuses',
  'leases.coordination.k8s.io',
  'storageclasses.storage.k8s.io',
  'priorityclasses.scheduling.k8s.io',
  'runtimeclasses.node.k8s.io',
  'controllerrevisions.apps',
]);

export function hasGeneration(resource: string): boolean {
  return !WITHOUT_GENERATION.has(resource);
}
