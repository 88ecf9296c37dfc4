import type { Pass } from '../../controllers/shared/pass.ts';
import { CreateAdmission } from '../../controllers/shared/admission.ts';
import type { KubeObject } from '../../kube/types.ts';
import { StoreError } from '../../store/errors.ts';
import { STATUS_CONFIGMAP, STATUS_REFRESH_MS, statusBody, statusConfigMap } from './status-configmap.ts';
import type { AutoscalerReport, CaState } from './state.ts';

/**
 * Publishes `kube-system/cluster-autoscaler-status` when the status changed or a minute passed
 * (so an idle cluster is not rewritten every 10 s). Returns the ConfigMap for event recording.
 */
export async function writeStatusConfigMap(pass: Pass, report: AutoscalerReport, state: CaState, now: number): Promise<KubeObject | undefined> {
  const existing = await pass.store.get(pass.clusterId, 'configmaps', 'kube-system', STATUS_CONFIGMAP);
  const text = JSON.stringify(statusBody(report));
  const fresh =
    existing &&
    state.lastStatusText === text &&
    state.lastStatusWriteAt !== undefined &&
    now - state.lastStatusWriteAt < STATUS_REFRESH_MS &&
    now >= state.lastStatusWriteAt;
  if (fresh) return existing;
  const next = statusConfigMap(report, existing);
  pass.spend();
  try {
    const written = existing ? await pass.store.update(pass.clusterId, 'configmaps', next) : await createStatusConfigMap(pass, next);
    if (!written) return undefined;
    state.lastStatusText = text;
    state.lastStatusWriteAt = now;
    return written;
  } catch (err) {
    // No kube-system namespace yet, or a concurrent edit: the next loop writes it.
    if (err instanceof StoreError) return existing;
    throw err;
  }
}

/**
 * The first write goes through admission as a client's create would (quota on configmaps). A
 * refusal is logged, as upstream logs a failed status write; the next loop tries again.
 */
async function createStatusConfigMap(pass: Pass, cm: KubeObject): Promise<KubeObject | undefined> {
  const outcome = await new CreateAdmission(pass.store, pass.clusterId).create('configmaps', cm);
  if ('created' in outcome) return outcome.created;
  pass.ctx.log.warn({ clusterId: pass.clusterId, reason: outcome.refused }, 'could not create the cluster-autoscaler status ConfigMap');
  return undefined;
}
