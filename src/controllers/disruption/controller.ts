import type { Pod, PodDisruptionBudget } from '../../kube/objects.ts';
import { budgetState } from '../../kube/admission/disruption.ts';
import type { Controller } from '../runtime.ts';
import { canonicalJson } from '../shared/canonical.ts';
import { Pass } from '../shared/pass.ts';
import { listCached } from '../shared/object-cache.ts';
import { budgetStatus, disruptedPods } from './status.ts';

const PDB = 'poddisruptionbudgets.policy';

/**
 * The disruption controller: keeps every PodDisruptionBudget's status current (healthy, desired and
 * expected pods, disruptions allowed, evictions in flight, DisruptionAllowed condition), so
 * `kubectl get pdb` and the eviction-aware tools read what the pods are doing now.
 */
export const disruptionController: Controller = {
  name: 'disruption',
  // Scale changes of the workloads behind the pods move expectedPods.
  watches: [PDB, 'pods', 'replicasets.apps', 'deployments.apps', 'statefulsets.apps', 'replicationcontrollers'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'controllermanager');
    const budgets = await listCached(ctx, PDB);
    if (budgets.length === 0) return pass.result();
    const pods = await listCached(ctx, 'pods');
    for (const pdb of budgets) {
      if (pass.exhausted) break;
      if (pdb.metadata.deletionTimestamp) continue;
      await syncBudget(pass, pdb, pods);
    }
    return pass.result();
  },
};

async function syncBudget(pass: Pass, pdb: PodDisruptionBudget, allPods: Pod[]): Promise<void> {
  const ns = pdb.metadata.namespace ?? 'default';
  const namespacePods = allPods.filter((p) => (p.metadata.namespace ?? 'default') === ns);
  const disrupted = disruptedPods(pdb.status?.disruptedPods, namespacePods, pass.nowMs);
  const state = await budgetState(pass.store, pass.clusterId, pdb, { namespacePods, disrupted: new Set(Object.keys(disrupted.kept)) });
  if (disrupted.recheckAtMs !== undefined) pass.wakeAt(disrupted.recheckAtMs + 1);
  for (const pod of disrupted.overdue) {
    await pass.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${ns}/${pdb.metadata.name} to be deleted but it wasn't`);
  }
  const status = budgetStatus(pdb, state, disrupted.kept, pass.nowMs);
  if (canonicalJson(status) === canonicalJson(pdb.status ?? {})) return;
  if (state.pods.length === 0) await pass.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
  await pass.attempt(() => pass.store.update(pass.clusterId, PDB, { ...pdb, status }));
}
