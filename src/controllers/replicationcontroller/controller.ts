import type { ReplicationController } from '../../kube/objects.ts';
import type { Controller } from '../runtime.ts';
import { CreateAdmission } from '../shared/admission.ts';
import { Pass } from '../shared/pass.ts';
import { listCached } from '../shared/object-cache.ts';
import { buildIndex } from '../replicaset/controller.ts';
import { syncReplicaSet, type ReplicaSetKind } from '../replicaset/sync.ts';

/** ReplicationControllers are stored in the core group and select pods with a plain label map. */
const REPLICATION_CONTROLLER_KIND: ReplicaSetKind = {
  resource: 'replicationcontrollers',
  selector: (rc: ReplicationController) => (rc.spec?.selector && Object.keys(rc.spec.selector).length ? { matchLabels: rc.spec.selector } : undefined),
};

/**
 * The replication manager: the ReplicaSet controller's sync run over ReplicationControllers, as
 * upstream does, so adoption, slow-start creates, deletion ranking and status are the same code.
 */
export const replicationControllerController: Controller = {
  name: 'replicationcontroller',
  watches: ['replicationcontrollers', 'pods', 'resourcequotas', 'limitranges'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'replication-controller');
    const rcList = await listCached(ctx, 'replicationcontrollers');
    if (rcList.length === 0) return pass.result();
    const index = buildIndex(rcList, await listCached(ctx, 'pods'));
    const admission = new CreateAdmission(ctx.store, ctx.clusterId);
    for (const rc of rcList) {
      if (pass.exhausted) break;
      await syncReplicaSet(pass, rc, index, admission, REPLICATION_CONTROLLER_KIND);
    }
    return pass.result();
  },
};
