import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import type { KubeObject } from '../kube/types.ts';
import { StoreError } from '../store/errors.ts';
import type { WriteOp } from '../store/objects.ts';
import { clusterFacts } from './cluster-facts.ts';
import { IP_ADDRESS_RESOURCE, NODE_PORT_RESOURCE } from './config.ts';
import { hasIngress, ingressFor, ingressReadyAt, LB_FINALIZER, wantsLoadBalancer } from './load-balancer.ts';
import { heldAddresses, ipAddressObject, nodePortObject, parentOf, sameService, type ServiceRef } from './reservations.ts';
import { allocateServiceAddresses } from './service-addresses.ts';

/**
 * Services after the API accepted them: the cloud load-balancer controller (ingress address,
 * cleanup finalizer, billing of LB hours) and the allocators' repair loop (reservations follow the
 * Services that hold addresses; a Service written without going through the allocator gets one).
 */
export const serviceController: Controller = {
  name: 'service',
  watches: ['services'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const services = (await ctx.store.list(ctx.clusterId, 'services')).items;
    const now = ctx.now();
    let next = Infinity;
    let retry = false;
    for (const svc of services) {
      const at = await syncLoadBalancer(ctx, svc, now).catch(lostRace(() => (retry = true)));
      if (typeof at === 'number') next = Math.min(next, at);
      if (needsAddress(svc)) await assignMissingAddress(ctx, svc).catch(lostRace(() => (retry = true)));
    }
    await repairReservations(ctx, await ctx.store.list(ctx.clusterId, 'services').then((r) => r.items)).catch(lostRace(() => (retry = true)));
    if (retry) return { more: true };
    return Number.isFinite(next) ? { requeueAfterMs: Math.max(1, next - now) } : {};
  },
};

/** Returns when to look again (the address is still being provisioned), if ever. */
async function syncLoadBalancer(ctx: ReconcileContext, svc: KubeObject, now: number): Promise<number | undefined> {
  const finalizers = svc.metadata.finalizers ?? [];
  const held = finalizers.includes(LB_FINALIZER);
  if (wantsLoadBalancer(svc)) {
    if (hasIngress(svc)) return undefined;
    const readyAt = ingressReadyAt(svc);
    if (!held) {
      const next = structuredClone(svc);
      next.metadata.finalizers = [...finalizers, LB_FINALIZER];
      await ctx.store.update(ctx.clusterId, 'services', next);
      await ctx.events.record(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer', 'service-controller');
      return readyAt;
    }
    if (readyAt > now) return readyAt;
    const { provider, region } = await clusterFacts(ctx.store, ctx.clusterId);
    const next = structuredClone(svc);
    next.status = { ...(next.status ?? {}), loadBalancer: { ingress: ingressFor(svc, provider, region) } };
    // Billing starts with this write: the store's metering hook sees the ingress appear.
    await ctx.store.commit(ctx.clusterId, [{ op: 'update', resource: 'services', object: next }]);
    await ctx.events.record(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer', 'service-controller');
    return undefined;
  }
  if (!held && !hasIngress(svc)) return undefined;
  // No longer a (default) LoadBalancer, or being deleted: tear the load balancer down.
  await ctx.events.record(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer', 'service-controller');
  const rest = finalizers.filter((f) => f !== LB_FINALIZER);
  if (svc.metadata.deletionTimestamp && rest.length === 0) {
    const ns = svc.metadata.namespace ?? 'default';
    await ctx.store.commit(ctx.clusterId, [{ op: 'delete', resource: 'services', namespace: ns, name: svc.metadata.name!, uid: svc.metadata.uid }]);
  } else {
    const next = structuredClone(svc);
    next.metadata.finalizers = rest;
    if (next.status?.loadBalancer) next.status.loadBalancer = {};
    await ctx.store.commit(ctx.clusterId, [{ op: 'update', resource: 'services', object: next }]);
  }
  await ctx.events.record(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer', 'service-controller');
  return undefined;
}

function needsAddress(svc: KubeObject): boolean {
  return !svc.metadata.deletionTimestamp && (svc.spec?.type ?? 'ClusterIP') !== 'ExternalName' && !svc.spec?.clusterIP;
}

/** A Service stored without the allocator (e.g. by a bootstrap step) still gets its addresses. */
async function assignMissingAddress(ctx: ReconcileContext, svc: KubeObject): Promise<void> {
  const { service, ops } = await allocateServiceAddresses(ctx.store, ctx.clusterId, svc, undefined);
  await ctx.store.commit(ctx.clusterId, [...ops, { op: 'update', resource: 'services', object: service }]);
}

/** Reservations follow the Services holding addresses: missing ones are made, orphaned ones released. */
async function repairReservations(ctx: ReconcileContext, services: KubeObject[]): Promise<void> {
  const [ips, ports] = await Promise.all([ctx.store.list(ctx.clusterId, IP_ADDRESS_RESOURCE), ctx.store.list(ctx.clusterId, NODE_PORT_RESOURCE)]);
  const holders = new Map<string, ServiceRef>();
  for (const s of services) {
    const ref = { namespace: s.metadata.namespace ?? 'default', name: s.metadata.name! };
    const held = heldAddresses(s);
    for (const ip of held.ips) if (!holders.has(`ip/${ip}`)) holders.set(`ip/${ip}`, ref);
    for (const p of held.ports) if (!holders.has(`port/${p}`)) holders.set(`port/${p}`, ref);
  }
  const ops: WriteOp[] = [];
  const reconcile = (kind: 'ip' | 'port', resource: string, existing: KubeObject[], build: (name: string, ref: ServiceRef) => KubeObject) => {
    const byName = new Map(existing.map((r) => [r.metadata.name!, r]));
    for (const r of existing) {
      const holder = holders.get(`${kind}/${r.metadata.name}`);
      if (!holder || !sameService(holder, parentOf(r))) ops.push({ op: 'delete', resource, namespace: '', name: r.metadata.name!, resourceVersion: r.metadata.resourceVersion });
    }
    for (const [k, ref] of holders) {
      if (!k.startsWith(`${kind}/`)) continue;
      const name = k.slice(kind.length + 1);
      const current = byName.get(name);
      if (!current || !sameService(ref, parentOf(current))) ops.push({ op: 'create', resource, object: build(name, ref) });
    }
  };
  reconcile('ip', IP_ADDRESS_RESOURCE, ips.items, (ip, ref) => ipAddressObject(ip, ref));
  reconcile('port', NODE_PORT_RESOURCE, ports.items, (p, ref) => nodePortObject(Number(p), ref));
  if (ops.length) await ctx.store.commit(ctx.clusterId, ops);
}

function lostRace(onLost: () => void) {
  return (err: unknown) => {
    if (err instanceof StoreError && ['Conflict', 'NotFound', 'AlreadyExists'].includes(err.reason)) {
      onLost();
      return undefined;
    }
    throw err;
  };
}
