import type { Deployment, Pod, ReplicaSet, WithSpec } from '../../kube/objects.ts';
import type { Controller } from '../runtime.ts';
import { CreateAdmission } from '../shared/admission.ts';
import { Pass } from '../shared/pass.ts';
import { controllerOf } from '../shared/owners.ts';
import { syncDeployment, type DeploymentIndex } from './sync.ts';
import { listCached } from '../shared/object-cache.ts';

/**
 * The Deployment controller: ReplicaSets per pod template, rolling updates, Recreate, scaling,
 * rollbacks and history. Watches pods only for Recreate, which waits for old pods to be gone.
 */
export const deploymentController: Controller = {
  name: 'deployment',
  // A ReplicaSet create that quota refused is tried again when quotas change (upstream requeues with back-off).
  watches: ['deployments.apps', 'replicasets.apps', 'pods', 'resourcequotas'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'deployment-controller');
    const [deployments, replicaSets] = await Promise.all([listCached(ctx, 'deployments.apps'), listCached(ctx, 'replicasets.apps')]);
    if (deployments.length === 0) return pass.result();
    const needsPods = deployments.some((d) => d.spec?.strategy?.type === 'Recreate');
    const pods = needsPods ? await listCached(ctx, 'pods') : [];
    const index = buildIndex(replicaSets, pods);
    const admission = new CreateAdmission(ctx.store, ctx.clusterId);
    for (const d of deployments) {
      if (pass.exhausted) break;
      // Validation requires a Deployment's spec (selector and template).
      await syncDeployment(pass, d as WithSpec<Deployment>, index, admission);
    }
    return pass.result();
  },
};

function buildIndex(replicaSets: ReplicaSet[], pods: Pod[]): DeploymentIndex {
  const byNamespace = new Map<string, ReplicaSet[]>();
  for (const rs of replicaSets) {
    const ns = rs.metadata.namespace ?? '';
    let list = byNamespace.get(ns);
    if (!list) byNamespace.set(ns, (list = []));
    list.push(rs);
  }
  const podsByOwner = new Map<string, Pod[]>();
  for (const pod of pods) {
    const owner = controllerOf(pod)?.uid;
    if (!owner) continue;
    let list = podsByOwner.get(owner);
    if (!list) podsByOwner.set(owner, (list = []));
    list.push(pod);
  }
  return {
    replicaSetsInNamespace: (ns) => byNamespace.get(ns) ?? [],
    podsOf: (uid) => podsByOwner.get(uid) ?? [],
  };
}
