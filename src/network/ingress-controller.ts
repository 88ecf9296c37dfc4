import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import { Pass } from '../controllers/shared/pass.ts';
import type { KubeObject } from '../kube/types.ts';
import { canonicalJson } from '../controllers/shared/canonical.ts';
import { clusterFacts } from './cluster-facts.ts';
import { resolveDns } from './dns.ts';
import { ingressReadyAt } from './load-balancer.ts';
import {
  backendServices,
  INGRESS_CLASS_RESOURCE,
  INGRESS_RESOURCE,
  ingressAddress,
  ingressClassName,
  providerIngress,
  type ProviderIngress,
} from './ingress.ts';

/**
 * The provider's ingress controller: for every Ingress of a class it owns, checks that each backend
 * Service resolves in the cluster DNS (an Event as the real controller words it when one does not)
 * and, once the simulated load balancer is provisioned, writes its address to
 * `status.loadBalancer`. An Ingress of another class (or none) is not its business; one that
 * leaves the class loses the address. Billing follows the address (the store's metering hook).
 */
export const ingressController: Controller = {
  name: 'ingress',
  watches: [INGRESS_RESOURCE, INGRESS_CLASS_RESOURCE, 'services'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const pass = new Pass(ctx, 'ingress-controller');
    const ingresses = (await ctx.store.list(ctx.clusterId, INGRESS_RESOURCE)).items;
    if (ingresses.length === 0) return pass.result();
    const { provider, region } = await clusterFacts(ctx.store, ctx.clusterId);
    const p = providerIngress(provider);
    const classes = (await ctx.store.list(ctx.clusterId, INGRESS_CLASS_RESOURCE)).items;
    const ours = new Set(classes.filter((c) => c.spec?.controller === p.controller).map((c) => c.metadata.name!));
    for (const ing of ingresses) {
      if (pass.exhausted) break;
      const className = ingressClassName(ing);
      const owned = !ing.metadata.deletionTimestamp && className !== undefined && ours.has(className);
      const wanted = owned ? await desiredAddress(pass, p, ing, provider, region) : [];
      await writeAddress(pass, p, ing, wanted);
    }
    return pass.result();
  },
};

/** The address the Ingress should show now: none while a backend is missing (where that blocks) or the load balancer is still being built. */
async function desiredAddress(pass: Pass, p: ProviderIngress, ing: KubeObject, provider: string, region: string): Promise<Array<Record<string, string>>> {
  const ns = ing.metadata.namespace ?? 'default';
  let missing = false;
  for (const svc of backendServices(ing)) {
    const answer = await resolveDns(pass.store, pass.clusterId, `${svc}.${ns}.svc.cluster.local`);
    if (answer.status !== 'NXDOMAIN') continue;
    missing = true;
    const { reason, message } = p.missingBackend(ing, svc);
    await pass.event(ing, 'Warning', reason, message, p.component);
  }
  if (missing && p.blocksOnMissingBackend) return [];
  const current = ing.status?.loadBalancer?.ingress ?? [];
  if (current.length) return current;
  const readyAt = ingressReadyAt(ing);
  if (readyAt > pass.nowMs) {
    pass.wakeAt(readyAt);
    return [];
  }
  return ingressAddress(ing, provider, region, pass.clusterId);
}

async function writeAddress(pass: Pass, p: ProviderIngress, ing: KubeObject, wanted: Array<Record<string, string>>): Promise<void> {
  const current = ing.status?.loadBalancer?.ingress ?? [];
  if (canonicalJson(current) === canonicalJson(wanted)) return;
  const next = structuredClone(ing);
  next.status = { ...(next.status ?? {}), loadBalancer: wanted.length ? { ingress: wanted } : {} };
  // Billing starts (or stops) with this write: the store's metering hook sees the address change.
  const done = await pass.attempt(() => pass.store.commit(pass.clusterId, [{ op: 'update', resource: INGRESS_RESOURCE, object: next }]));
  if (!done || !wanted.length || current.length) return;
  const { reason, message } = p.reconciled(wanted[0].ip ?? wanted[0].hostname);
  await pass.event(ing, 'Normal', reason, message, p.component);
}
