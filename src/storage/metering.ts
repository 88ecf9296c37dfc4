import { closeInterval, openInterval, replaceInterval } from '../billing/intervals.ts';
import type { KubeObject } from '../kube/types.ts';
import { clusterFacts } from '../network/cluster-facts.ts';
import type { WriteStatement } from '../store/db.ts';
import type { ObjectStore } from '../store/objects.ts';
import { volumeBytes } from './matching.ts';

function attributes(pv: KubeObject, sc: KubeObject | undefined) {
  const ref = pv.spec?.claimRef ?? {};
  const params = (sc?.parameters ?? {}) as Record<string, string>;
  return {
    sizeBytes: volumeBytes(pv),
    storageClass: pv.spec?.storageClassName || undefined,
    volumeType: params.type ?? params.skuname ?? params.skuName,
    provisioner: (sc?.provisioner as string) ?? pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'],
    claimNamespace: ref.namespace,
    claimName: ref.name,
  };
}

/**
 * Volume metering, committed with the PV write that causes it (`store.commit(ops, { extra })`):
 * opened when a volume is provisioned, with its class, provisioner and size; subject = PV name.
 */
export async function volumeOpened(store: ObjectStore, clusterId: string, pv: KubeObject, sc: KubeObject | undefined): Promise<(now: number) => WriteStatement[]> {
  const { tenantId } = await clusterFacts(store, clusterId);
  return (now) => [openInterval(store.database.db, { tenantId, clusterId, kind: 'volume', subject: pv.metadata.name!, attributes: attributes(pv, sc), startedAt: now })];
}

/** Closed when the PV (and its disk) is deleted. */
export function volumeClosed(store: ObjectStore, clusterId: string, pv: KubeObject): (now: number) => WriteStatement[] {
  return (now) => [closeInterval(store.database.db, { clusterId, kind: 'volume', subject: pv.metadata.name! }, now)];
}

/** Reopened at the new size when the volume is expanded. */
export async function volumeResized(store: ObjectStore, clusterId: string, pv: KubeObject, sc: KubeObject | undefined): Promise<(now: number) => WriteStatement[]> {
  const { tenantId } = await clusterFacts(store, clusterId);
  return (now) => replaceInterval(store.database.db, { tenantId, clusterId, kind: 'volume', subject: pv.metadata.name!, attributes: attributes(pv, sc), startedAt: now });
}
