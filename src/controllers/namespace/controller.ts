import type { Namespace, WithSpec } from '../../kube/objects.ts';
import { requestDeletion } from '../../kube/deletion.ts';
import { isoTime } from '../../lib/clock.ts';
import type { Controller } from '../runtime.ts';
import { canonicalJson } from '../shared/canonical.ts';
import { upsertCondition, type Condition } from '../../lib/conditions.ts';
import { Pass } from '../shared/pass.ts';
import { resourceKeys } from '../shared/resource-keys.ts';
import { listCached } from '../shared/object-cache.ts';

/** How soon to look again while content is still going away (pods take their grace period). */
const RECHECK_MS = 5_000;
const NAMESPACE_FINALIZER = 'kubernetes';

/**
 * The namespace controller: a namespace being deleted shows phase Terminating, every object in it
 * is deleted (as `DELETE` would, so pods get their grace period and finalizers are honoured), and
 * once nothing is left its `kubernetes` finalizer is removed and the namespace goes.
 */
export const namespaceController: Controller = {
  name: 'namespace',
  watches: ['namespaces', 'pods'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'namespace-controller');
    const terminating = (await listCached(ctx, 'namespaces')).filter((n) => n.metadata.deletionTimestamp);
    if (terminating.length === 0) return pass.result();
    const keys = (await resourceKeys(ctx.store, ctx.clusterId)).filter((k) => k.namespaced);
    for (const ns of terminating) {
      if (pass.exhausted) break;
      await emptyNamespace(
        pass,
        ns,
        keys.map((k) => k.resource),
      );
    }
    return pass.result();
  },
};

async function emptyNamespace(pass: Pass, ns: Namespace, resources: string[]): Promise<void> {
  const name = ns.metadata.name!;
  const remaining = new Map<string, number>();
  const finalizersLeft = new Map<string, number>();
  for (const resource of resources) {
    const items = (await pass.store.list(pass.clusterId, resource, { namespace: name })).items;
    for (const obj of items) {
      remaining.set(resource, (remaining.get(resource) ?? 0) + 1);
      for (const f of obj.metadata.finalizers ?? []) finalizersLeft.set(f, (finalizersLeft.get(f) ?? 0) + 1);
      if (obj.metadata.deletionTimestamp || pass.exhausted) continue;
      await pass.attempt(() => requestDeletion(pass.store, pass.clusterId, resource, name, obj.metadata.name!, { preconditions: { uid: obj.metadata.uid } }));
    }
  }
  if (remaining.size > 0) {
    await writeStatus(pass, ns, remaining, finalizersLeft);
    pass.wakeAt(pass.nowMs + RECHECK_MS);
    return;
  }
  const specFinalizers: string[] = ns.spec?.finalizers ?? [];
  if (specFinalizers.includes(NAMESPACE_FINALIZER)) {
    const next = structuredClone(ns) as WithSpec<Namespace>; // it has finalizers, so a spec
    next.spec.finalizers = specFinalizers.filter((f) => f !== NAMESPACE_FINALIZER);
    const saved = await pass.attempt(() => pass.store.update(pass.clusterId, 'namespaces', next));
    if (!saved) return;
    ns = saved;
  }
  if ((ns.spec?.finalizers ?? []).length === 0 && (ns.metadata.finalizers ?? []).length === 0) {
    await pass.attempt(() => pass.store.commit(pass.clusterId, [{ op: 'delete', resource: 'namespaces', namespace: '', name, uid: ns.metadata.uid }]));
  }
}

/** Phase Terminating and the conditions `kubectl describe ns` shows while content remains. */
async function writeStatus(pass: Pass, ns: Namespace, remaining: Map<string, number>, finalizers: Map<string, number>): Promise<void> {
  const now = isoTime(pass.nowMs);
  let conditions: Condition[] = ns.status?.conditions ?? [];
  const resources = [...remaining.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  conditions = upsertCondition(conditions, {
    type: 'NamespaceContentRemaining',
    status: 'True',
    reason: 'SomeResourcesRemain',
    message: `Some resources are remaining: ${resources.map(([r, n]) => `${r} has ${n} resource instances`).join(', ')}`,
    lastTransitionTime: now,
  });
  if (finalizers.size > 0) {
    const list = [...finalizers.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    conditions = upsertCondition(conditions, {
      type: 'NamespaceFinalizersRemaining',
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${list.map(([f, n]) => `${f} in ${n} resource instances`).join(', ')}`,
      lastTransitionTime: now,
    });
  }
  const status = { ...(ns.status ?? {}), phase: 'Terminating', conditions };
  if (canonicalJson(status) === canonicalJson(ns.status ?? {})) return;
  await pass.attempt(() => pass.store.update(pass.clusterId, 'namespaces', { ...ns, status }));
}
