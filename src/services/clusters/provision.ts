import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import type { ObjectStore, WriteOp } from '../../store/objects.ts';
import { clusters, usageIntervals } from '../../store/schema/index.ts';
import { openInterval } from '../../billing/intervals.ts';
import type { KubeObject } from '../../kube/types.ts';
import type { Provider } from '../../billing/catalog.ts';
import { allocateServiceAddresses } from '../../kube/service-addresses/allocate.ts';
import { defaultStorageClasses, STORAGE_CLASS_RESOURCE } from '../../storage/classes.ts';
import { defaultClusterRoleBindings, defaultClusterRoles } from '../../rbac/defaults.ts';
import { RBAC_RESOURCES } from '../../rbac/types.ts';
import { INGRESS_CLASS_RESOURCE, providerIngressClass } from '../../network/ingress.ts';
import { poolsOf, type ClusterRow, versionSupportOf } from './internal.ts';
import { syncPoolNodes } from '../../clusters/pool-nodes.ts';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function namespace(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** Optional bootstrap objects contributed by other parts (default StorageClasses, ...). */
export type BootstrapContributor = (cluster: ClusterRow) => KubeObject[] | Promise<KubeObject[]>;
const contributors: { resource: string; build: BootstrapContributor }[] = [];
export function addBootstrapObjects(resource: string, build: BootstrapContributor): void {
  contributors.push({ resource, build });
}
// The provider's default StorageClasses (gp3 on EKS, standard-rwo on GKE, managed-csi on AKS).
addBootstrapObjects(STORAGE_CLASS_RESOURCE, (cluster) => defaultStorageClasses(cluster.provider));
// RBAC's default ClusterRoles (cluster-admin, admin, edit, view, system:*) and their bindings.
addBootstrapObjects(RBAC_RESOURCES.clusterroles, () => defaultClusterRoles());
addBootstrapObjects(RBAC_RESOURCES.clusterrolebindings, () => defaultClusterRoleBindings());
// The provider's managed ingress as the default IngressClass (alb on EKS, gce on GKE, application routing on AKS).
addBootstrapObjects(INGRESS_CLASS_RESOURCE, (cluster) => [providerIngressClass(cluster.provider)]);

/**
 * Brings a PROVISIONING cluster to RUNNING: system namespaces, the `kubernetes` Service, the nodes of
 * every pool, bootstrap objects, then the status flip with the cluster's billing interval. Every step
 * is idempotent, so a retried or resumed job converges to the same state.
 */
export async function provisionCluster(database: Database, store: ObjectStore, cluster: ClusterRow): Promise<void> {
  const ops: WriteOp[] = [];
  for (const ns of SYSTEM_NAMESPACES) {
    if (!(await store.get(cluster.id, 'namespaces', '', ns))) ops.push({ op: 'create', resource: 'namespaces', object: namespace(ns) });
  }
  for (const c of contributors) {
    for (const obj of await c.build(cluster)) {
      if (!(await store.get(cluster.id, c.resource, obj.metadata.namespace ?? '', obj.metadata.name!)))
        ops.push({ op: 'create', resource: c.resource, object: obj });
    }
  }
  if (ops.length) await store.commit(cluster.id, ops);

  if (!(await store.get(cluster.id, 'services', 'default', 'kubernetes'))) {
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }], sessionAffinity: 'None' },
    };
    const alloc = await allocateServiceAddresses(store, cluster.id, svc);
    await store.commit(cluster.id, [...alloc.ops, { op: 'create', resource: 'services', object: alloc.service }]);
  }

  for (const pool of await poolsOf(database, cluster.id)) await syncPoolNodes(database, store, cluster, pool);

  const open = await database.db
    .select({ id: usageIntervals.id })
    .from(usageIntervals)
    .where(and(eq(usageIntervals.clusterId, cluster.id), eq(usageIntervals.kind, 'cluster'), isNull(usageIntervals.endedAt)))
    .get();
  const now = await store.clusterNow(cluster.id);
  await database.atomicWrite([
    { query: database.db.update(clusters).set({ status: 'RUNNING', updatedAt: Date.now() }).where(eq(clusters.id, cluster.id)) },
    ...(open
      ? []
      : [
          openInterval(database.db, {
            tenantId: cluster.tenantId,
            clusterId: cluster.id,
            kind: 'cluster',
            subject: cluster.id,
            // Every Autopilot cluster is regional (GKE pricing: its fee is still the one the free tier covers).
            attributes: {
              provider: cluster.provider as Provider,
              tier: cluster.tier,
              region: cluster.region,
              kubernetesVersion: cluster.kubernetesVersion,
              versionSupport: versionSupportOf(cluster),
              ...(cluster.tier === 'autopilot' ? { regional: true } : {}),
            },
            startedAt: now,
          }),
        ]),
  ]);
}
