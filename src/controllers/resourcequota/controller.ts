import type { KubeObject } from '../../kube/types.ts';
import { asKinds } from '../../kube/objects.ts';
import type { Controller } from '../runtime.ts';
import { canonicalJson } from '../shared/canonical.ts';
import { Pass } from '../shared/pass.ts';
import { listCached } from '../shared/object-cache.ts';
import { NAMESPACED_BUILTIN } from '../shared/resource-keys.ts';
import { quotaStatus, trackedResources } from '../../kube/admission/quota.ts';
import { nextGraceExpiry } from './usage.ts';

/** Upstream --resource-quota-sync-period: a full recount catches `count/` kinds no write woke us for. */
const FULL_RESYNC_MS = 5 * 60_000;
/** Kinds written by heartbeats and endpoint churn: rarely quota'd, left to the full resync. */
const CHURN_ONLY = new Set(['events', 'events.events.k8s.io', 'leases.coordination.k8s.io', 'endpoints', 'endpointslices.discovery.k8s.io']);

/**
 * The ResourceQuota controller: recounts every quota's `status.used` from the live objects of its
 * namespace, so quota is given back when pods finish or objects are deleted (admission only
 * charges at create time), and keeps `status.hard` equal to the spec.
 */
export const resourceQuotaController: Controller = {
  name: 'resourcequota',
  watches: NAMESPACED_BUILTIN.filter((r) => !CHURN_ONLY.has(r)),
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'resource-quota-controller');
    // Quotas are read before the objects: an admission charge landing in between changes the
    // quota's resourceVersion, so this pass's write then loses the race instead of undoing it.
    const quotas = await listCached(ctx, 'resourcequotas');
    if (quotas.length === 0) return pass.result();
    const lists = new Map<string, KubeObject[]>();
    for (const quota of quotas) for (const resource of trackedResources(quota.spec?.hard ?? {}).keys()) lists.set(resource, []);
    for (const resource of lists.keys()) lists.set(resource, await listCached(ctx, resource));
    const inNamespace = (resource: string, ns: string) => (lists.get(resource) ?? []).filter((o) => (o.metadata.namespace ?? '') === ns);

    for (const quota of quotas) {
      if (pass.exhausted) break;
      const ns = quota.metadata.namespace ?? '';
      const status = quotaStatus(quota, (r) => inNamespace(r, ns), pass.nowMs);
      if (lists.has('pods')) {
        const expiry = nextGraceExpiry(asKinds('pods', inNamespace('pods', ns)), pass.nowMs);
        if (expiry !== undefined) pass.wakeAt(expiry);
      }
      if (canonicalJson(status) === canonicalJson({ hard: quota.status?.hard, used: quota.status?.used })) continue;
      await pass.attempt(() => pass.store.update(pass.clusterId, 'resourcequotas', { ...quota, status: { ...(quota.status ?? {}), ...status } }));
    }
    pass.wakeAt(pass.nowMs + FULL_RESYNC_MS);
    return pass.result();
  },
};
