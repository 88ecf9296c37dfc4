import type { ObjectStore } from '../../store/objects.ts';
import { StoreError } from '../../store/errors.ts';
import type { KubeObject } from '../types.ts';
import { quotaStatus, trackedResources } from './quota.ts';

/**
 * Recomputes `status.used` of a namespace's quotas after objects went away. Each write is guarded
 * by the quota's resourceVersion, as the controller's recount is: a charge committed between the
 * count and the write would otherwise be overwritten. A lost race recounts on the fresh quota.
 */
export async function refreshQuotaUsage(store: ObjectStore, clusterId: string, ns: string): Promise<void> {
  const { items: quotas } = await store.list(clusterId, 'resourcequotas', { namespace: ns });
  for (let quota of quotas) {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) {
        const fresh = await store.get(clusterId, 'resourcequotas', ns, quota.metadata.name!);
        if (!fresh) break;
        quota = fresh;
      }
      try {
        await recountQuota(store, clusterId, quota);
        break;
      } catch (err) {
        if (!(err instanceof StoreError && err.reason === 'Conflict')) throw err;
      }
    }
  }
}

async function recountQuota(store: ObjectStore, clusterId: string, quota: KubeObject): Promise<void> {
  const lists = new Map<string, KubeObject[]>();
  for (const resource of trackedResources(quota.spec?.hard ?? {}).keys()) {
    lists.set(resource, (await store.list(clusterId, resource, { namespace: quota.metadata.namespace })).items);
  }
  const status = quotaStatus(quota, (r) => lists.get(r) ?? [], await store.clusterNow(clusterId));
  // Written in this same key order by every recount, so equal text means nothing changed.
  if (JSON.stringify(status) === JSON.stringify({ hard: quota.status?.hard, used: quota.status?.used })) return;
  await store.update(clusterId, 'resourcequotas', { ...quota, status: { ...(quota.status ?? {}), ...status } });
}
