import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import { Pass } from '../controllers/shared/pass.ts';
import type { KubeObject } from '../kube/types.ts';
import type { WriteOp } from '../store/objects.ts';
import { clusterFacts } from './cluster-facts.ts';
import { IP_ADDRESS_RESOURCE, NODE_PORT_RESOURCE } from '../kube/cluster-network.ts';
import { hasIngress, ingressFor, ingressReadyAt, LB_FINALIZER, wantsLoadBalancer } from './load-balancer.ts';
import { heldAddresses, ipAddressObject, nodePortObject, parentOf, sameService, type ServiceRef } from '../kube/service-addresses/reservations.ts';
import { allocateServiceAddresses } from '../kube/service-addresses/allocate.ts';

/**
 * Services after the API accepted them: the cloud load-balancer controller (ingress address,
 * cleanup finalizer, billing of LB hours) and the allocators' repair loop (reservations follow the
 * Services that hold addresses; a Service written without going through the allocator gets one).
 */
export const serviceController: Controller = {
  name: 'service',
  watches: ['services'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const pass = new Pass(ctx, 'service-controller');
    const services = (await ctx.store.list(ctx.clusterId, 'services')).items;
    for (const svc of services) {
      if (pass.exhausted) break; // the rest next pass
      await syncLoadBalancer(pass, svc);
      if (needsAddress(svc)) await assignMissingAddress(pass, svc);
    }
    await repairReservations(pass, await ctx.store.list(ctx.clusterId, 'services').then((r) => r.items));
    return pass.result();
  },
};

/** Moves the Service's load balancer one step; asks for a pass when its address will be provisioned. */
async function syncLoadBalancer(pass: Pass, svc: KubeObject): Promise<void> {
  const { store, clusterId } = pass;
  const finalizers = svc.metadata.finalizers ?? [];
  const held = finalizers.includes(LB_FINALIZER);
  if (wantsLoadBalancer(svc)) {
    if (hasIngress(svc)) return;
    const readyAt = ingressReadyAt(svc);
    if (!held) {
      const next = structuredClone(svc);
      next.metadata.finalizers = [...finalizers, LB_FINALIZER];
      if (!(await pass.attempt(() => store.update(clusterId, 'services', next)))) return;
      await pass.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
      pass.wakeAt(readyAt);
      return;
    }
    if (readyAt > pass.nowMs) return pass.wakeAt(readyAt);
    const { provider, region } = await clusterFacts(store, clusterId);
    const next = structuredClone(svc);
    next.status = { ...(next.status ?? {}), loadBalancer: { ingress: ingressFor(svc, provider, region) } };
    // Billing starts with this write: the store's metering hook sees the ingress appear.
    if (!(await pass.attempt(() => store.commit(clusterId, [{ op: 'update', resource: 'services', object: next }])))) return;
    await pass.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
    return;
  }
  if (!held && !hasIngress(svc)) return;
  // No longer a (default) LoadBalancer, or being deleted: tear the load balancer down.
  await pass.event(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
  const rest = finalizers.filter((f) => f !== LB_FINALIZER);
  let removed: unknown;
  if (svc.metadata.deletionTimestamp && rest.length === 0) {
    const ns = svc.metadata.namespace ?? 'default';
    removed = await pass.attempt(() =>
      store.commit(clusterId, [{ op: 'delete', resource: 'services', namespace: ns, name: svc.metadata.name!, uid: svc.metadata.uid }]),
    );
  } else {
    const next = structuredClone(svc);
    next.metadata.finalizers = rest;
    if (next.status?.loadBalancer) next.status.loadBalancer = {};
    removed = await pass.attempt(() => store.commit(clusterId, [{ op: 'update', resource: 'services', object: next }]));
  }
  if (removed) await pass.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
}

function needsAddress(svc: KubeObject): boolean {
  return !svc.metadata.deletionTimestamp && (svc.spec?.type ?? 'ClusterIP') !== 'ExternalName' && !svc.spec?.clusterIP;
}

/** A Service stored without the allocator (e.g. by a bootstrap step) still gets its addresses. */
async function assignMissingAddress(pass: Pass, svc: KubeObject): Promise<void> {
  await pass.attempt(async () => {
    const { service, ops } = await allocateServiceAddresses(pass.store, pass.clusterId, svc, undefined);
    await pass.store.commit(pass.clusterId, [...ops, { op: 'update', resource: 'services', object: service }]);
  });
}

/** Reservations follow the Services holding addresses: missing ones are made, orphaned ones released. */
async function repairReservations(pass: Pass, services: KubeObject[]): Promise<void> {
  const [ips, ports] = await Promise.all([pass.store.list(pass.clusterId, IP_ADDRESS_RESOURCE), pass.store.list(pass.clusterId, NODE_PORT_RESOURCE)]);
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
      if (!holder || !sameService(holder, parentOf(r)))
        ops.push({ op: 'delete', resource, namespace: '', name: r.metadata.name!, resourceVersion: r.metadata.resourceVersion });
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
  // One atomic commit: the reservations of a cluster are repaired together or not at all.
  if (ops.length) await pass.attempt(() => pass.store.commit(pass.clusterId, ops), ops.length);
}
