import type { ILimitRangeItem } from 'kubernetes-models/v1';
import type { ObjectStore } from '../../store/objects.ts';
import type { Container, Pod } from '../objects.ts';
import type { KubeObject } from '../types.ts';
import { formatAmount as formatQuantity, quantityValue as parseQuantity } from '../../lib/quantity.ts';

/** One limit of a LimitRange (`spec.limits[]`). */
export type LimitItem = ILimitRangeItem;

/** The limit items of a namespace's LimitRanges; load once per admission and pass around. */
export async function loadLimitItems(store: ObjectStore, clusterId: string, ns: string): Promise<LimitItem[]> {
  const { items } = await store.list(clusterId, 'limitranges', { namespace: ns });
  return items.flatMap((lr) => lr.spec?.limits ?? []);
}

const ofType = (items: LimitItem[], type: string) => items.filter((i) => i?.type === type);

function containers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
}

/** LimitRanger's mutation: containers without limits or requests get the range's defaults. */
export async function applyLimitRangeDefaults(store: ObjectStore, clusterId: string, pod: Pod, loaded?: LimitItem[]): Promise<void> {
  const all = loaded ?? (await loadLimitItems(store, clusterId, pod.metadata.namespace ?? 'default'));
  for (const item of ofType(all, 'Container')) {
    for (const c of containers(pod)) {
      c.resources ??= {};
      for (const [k, v] of Object.entries(item.default ?? {})) {
        if (c.resources.limits?.[k] === undefined) (c.resources.limits ??= {})[k] = v;
      }
      for (const [k, v] of Object.entries(item.defaultRequest ?? {})) {
        if (c.resources.requests?.[k] === undefined) (c.resources.requests ??= {})[k] = v;
      }
    }
  }
}

function q(v: unknown): number | undefined {
  return parseQuantity(v);
}

function checkBounds(
  item: LimitItem,
  kindWord: string,
  request: Record<string, unknown>,
  limit: Record<string, unknown>,
  out: string[],
  limitWord = 'limit',
): void {
  for (const [k, minV] of Object.entries(item.min ?? {})) {
    const min = q(minV)!;
    const r = q(request[k]);
    if (r === undefined) out.push(`minimum ${k} usage per ${kindWord} is ${minV}.  No request is specified`);
    else if (r < min) out.push(`minimum ${k} usage per ${kindWord} is ${minV}, but request is ${request[k]}`);
  }
  for (const [k, maxV] of Object.entries(item.max ?? {})) {
    const max = q(maxV)!;
    const l = q(limit[k]);
    if (l === undefined) out.push(`maximum ${k} usage per ${kindWord} is ${maxV}.  No ${limitWord} is specified`);
    else if (l > max) out.push(`maximum ${k} usage per ${kindWord} is ${maxV}, but ${limitWord} is ${limit[k]}`);
  }
  for (const [k, ratioV] of Object.entries(item.maxLimitRequestRatio ?? {})) {
    const l = q(limit[k]);
    const r = q(request[k]);
    if (l === undefined || r === undefined || r === 0) continue;
    const ratio = l / r;
    if (ratio > q(ratioV)!) out.push(`${k} max limit to request ratio per ${kindWord} is ${ratioV}, but provided ratio is ${ratio.toFixed(6)}`);
  }
}

function sumResources(list: Container[], field: 'requests' | 'limits'): Record<string, unknown> {
  const sums: Record<string, number> = {};
  for (const c of list) for (const [k, v] of Object.entries(c.resources?.[field] ?? {})) sums[k] = (sums[k] ?? 0) + (q(v) ?? 0);
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, formatQuantity(v)]));
}

/** LimitRanger's validation of a new pod or claim; returns the violation messages. */
export async function limitRangeViolations(store: ObjectStore, clusterId: string, obj: KubeObject, loaded?: LimitItem[]): Promise<string[]> {
  const all = loaded ?? (await loadLimitItems(store, clusterId, obj.metadata.namespace ?? 'default'));
  const out: string[] = [];
  if (obj.kind === 'Pod') {
    for (const item of ofType(all, 'Container')) {
      for (const c of containers(obj)) checkBounds(item, 'Container', c.resources?.requests ?? {}, c.resources?.limits ?? {}, out);
    }
    for (const item of ofType(all, 'Pod')) {
      const app = obj.spec?.containers ?? [];
      checkBounds(item, 'Pod', sumResources(app, 'requests'), sumResources(app, 'limits'), out);
    }
  } else if (obj.kind === 'PersistentVolumeClaim') {
    const req = obj.spec?.resources?.requests ?? {};
    for (const item of ofType(all, 'PersistentVolumeClaim')) {
      // Claims are bounded by their request on both sides.
      checkBounds({ ...item, maxLimitRequestRatio: undefined }, 'PersistentVolumeClaim', req, req, out, 'request');
    }
  }
  return out;
}
