import type { ObjectStore } from '../../store/objects.ts';
import type { Container } from '../objects.ts';
import type { KubeObject } from '../types.ts';
import { formatAmount as formatQuantity, quantityValue as parseQuantity } from '../../lib/quantity.ts';
import { quotaCovers } from './quota-scopes.ts';

/** Object-count names that predate `count/<resource>`. */
const LEGACY_COUNTS: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  persistentvolumeclaims: 'persistentvolumeclaims',
  resourcequotas: 'resourcequotas',
  replicationcontrollers: 'replicationcontrollers',
};

function sumContainers(list: Container[], field: 'requests' | 'limits', resource: string): number | undefined {
  let total: number | undefined;
  for (const c of list) {
    const v = parseQuantity(c?.resources?.[field]?.[resource]);
    if (v !== undefined) total = (total ?? 0) + v;
  }
  return total;
}

/** A pod's effective request: max(sum of app containers, largest init container) plus overhead. */
function podResource(pod: KubeObject, field: 'requests' | 'limits', resource: string): number {
  const app = sumContainers(pod.spec?.containers ?? [], field, resource) ?? 0;
  let init = 0;
  for (const c of pod.spec?.initContainers ?? []) init = Math.max(init, parseQuantity(c?.resources?.[field]?.[resource]) ?? 0);
  const overhead = parseQuantity(pod.spec?.overhead?.[resource]) ?? 0;
  return Math.max(app, init) + overhead;
}

const terminal = (pod: KubeObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/**
 * Upstream QuotaV1Pod: a finished pod, or one still there after its deletion time plus its grace
 * period (a lost node's pods), holds no compute quota. `nowMs` is the cluster clock.
 */
export function podHoldsQuota(pod: KubeObject, nowMs?: number): boolean {
  if (terminal(pod)) return false;
  const deletion = pod.metadata.deletionTimestamp ? Date.parse(pod.metadata.deletionTimestamp) : NaN;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  return !(nowMs !== undefined && typeof grace === 'number' && nowMs > deletion + grace * 1000);
}

/**
 * What one object counts against a quota, by quota key. `count/pods` counts every stored pod;
 * `pods` and compute only pods that still hold quota (as Kubernetes' pod evaluator does).
 */
export function usageOf(resourceKey: string, obj: KubeObject, nowMs?: number): Record<string, number> {
  const u: Record<string, number> = { [`count/${resourceKey}`]: 1 };
  if (LEGACY_COUNTS[resourceKey]) u[LEGACY_COUNTS[resourceKey]] = 1;
  if (resourceKey === 'pods') {
    if (!podHoldsQuota(obj, nowMs)) return { 'count/pods': 1 };
    for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
      u[`requests.${r}`] = podResource(obj, 'requests', r);
      u[`limits.${r}`] = podResource(obj, 'limits', r);
    }
    u.cpu = u['requests.cpu'];
    u.memory = u['requests.memory'];
  } else if (resourceKey === 'services') {
    const type = obj.spec?.type ?? 'ClusterIP';
    u['services.loadbalancers'] = type === 'LoadBalancer' ? 1 : 0;
    u['services.nodeports'] = type === 'NodePort' || type === 'LoadBalancer' ? (obj.spec?.ports ?? []).length : 0;
  } else if (resourceKey === 'persistentvolumeclaims') {
    const storage = parseQuantity(obj.spec?.resources?.requests?.storage) ?? 0;
    u['requests.storage'] = storage;
    const sc = obj.spec?.storageClassName;
    if (sc) {
      u[`${sc}.storageclass.storage.k8s.io/requests.storage`] = storage;
      u[`${sc}.storageclass.storage.k8s.io/persistentvolumeclaims`] = 1;
    }
  }
  return u;
}

/** Containers that leave a quota-tracked compute resource unset: quota needs them specified. */
export function missingCompute(pod: KubeObject, hard: Record<string, string>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(hard)) {
    const m = /^(requests|limits)\.(cpu|memory)$/.exec(key) ?? (key === 'cpu' || key === 'memory' ? [key, 'requests', key] : null);
    if (!m) continue;
    const [, field, resource] = m;
    const names = (pod.spec?.containers ?? [])
      .filter((c: Container) => c?.resources?.[field as 'requests' | 'limits']?.[resource] === undefined)
      .map((c: Container) => c.name);
    if (names.length) out.push(`${field}.${resource} for: ${names.join(',')}`);
  }
  return out;
}

/** What `objects` (of `resource`) that `quota` covers (its scopes) use of `keys`. */
function sumUsage(quota: KubeObject, resource: string, objects: KubeObject[], keys: string[], nowMs: number | undefined): Record<string, number> {
  const sums: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  for (const obj of objects) {
    if (!quotaCovers(quota, resource, obj)) continue;
    const u = usageOf(resource, obj, nowMs);
    for (const k of keys) sums[k] += u[k] ?? 0;
  }
  return sums;
}

/** What the objects of a namespace that `quota` covers (its scopes) use of `keys` now. */
export async function usedIn(store: ObjectStore, clusterId: string, quota: KubeObject, resourceKey: string, keys: string[]): Promise<Record<string, number>> {
  const { items } = await store.list(clusterId, resourceKey, { namespace: quota.metadata.namespace });
  const nowMs = resourceKey === 'pods' ? await store.clusterNow(clusterId) : undefined;
  return sumUsage(quota, resourceKey, items, keys, nowMs);
}

export interface QuotaStatus {
  hard: Record<string, string>;
  used: Record<string, string>;
}

/** Which resources a quota's hard keys count, each with its keys (e.g. pods → [pods, requests.cpu]). */
export function trackedResources(hard: Record<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of Object.keys(hard)) {
    const resource = quotaKeyResource(key);
    if (!resource) continue;
    out.set(resource, [...(out.get(resource) ?? []), key]);
  }
  return out;
}

/**
 * A quota's status from the objects of its namespace now: `hard` mirrors the spec and `used` sums
 * what each object its scopes cover counts, with the same per-object rule admission charges
 * (usageOf), so finished pods, deleted objects and lost nodes' pods give their share back. Keys no
 * evaluator knows keep their last value, as upstream's controller does.
 */
export function quotaStatus(quota: KubeObject, objectsOf: (resource: string) => KubeObject[], nowMs: number): QuotaStatus {
  const hard: Record<string, string> = { ...(quota.spec?.hard ?? {}) };
  const previous: Record<string, string> = quota.status?.used ?? {};
  const used: Record<string, string> = {};
  for (const key of Object.keys(hard)) if (!quotaKeyResource(key) && previous[key] !== undefined) used[key] = previous[key];
  for (const [resource, keys] of trackedResources(hard)) {
    const sums = sumUsage(quota, resource, objectsOf(resource), keys, nowMs);
    for (const k of keys) used[k] = formatQuantity(sums[k]);
  }
  return { hard, used };
}

export class QuotaExceededError extends Error {}

/** The resource (store key) whose objects a quota key counts, e.g. `requests.storage` → persistentvolumeclaims. */
export function quotaKeyResource(k: string): string | undefined {
  if (k.startsWith('count/')) return k.slice(6);
  return Object.hasOwn(LEGACY_COUNTS, k) ? LEGACY_COUNTS[k] : resourceForKey(k);
}

function resourceForKey(k: string): string | undefined {
  if (/^(requests|limits)\.|^(cpu|memory)$/.test(k)) return k.includes('storage') && !k.includes('ephemeral') ? 'persistentvolumeclaims' : 'pods';
  if (k.startsWith('services.')) return 'services';
  if (k.includes('.storageclass.storage.k8s.io/')) return 'persistentvolumeclaims';
  return undefined;
}
