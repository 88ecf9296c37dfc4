import type { WriteOp } from '../../store/objects.ts';
import type { KubeObject } from '../types.ts';
import type { KubeRequest } from '../handlers/context.ts';
import { admissionForbidden, failure } from '../status.ts';
import { validateObject } from '../objects/prepare.ts';
import { allocateServiceAddresses } from '../../network/service-addresses.ts';
import { InvalidObjectError } from '../../network/errors.ts';
import { checkNamespaceForCreate } from './namespace.ts';
import { admitNewPod } from './pods.ts';
import { limitRangeViolations, loadLimitItems } from './limitranges.ts';
import { chargeQuota, QuotaExceededError } from './quota.ts';
import { defaultClaimStorageClass } from './storage-class.ts';

/** ClusterIP and node ports, with the reservation writes that must commit with the service. */
async function allocateService(req: KubeRequest, obj: KubeObject, old?: KubeObject): Promise<{ object: KubeObject; extra: WriteOp[] }> {
  if (req.storageDef.storage !== 'services') return { object: obj, extra: [] };
  try {
    const { service, ops } = await allocateServiceAddresses(req.deps.store, req.clusterId, obj, old);
    return { object: service, extra: ops };
  } catch (err) {
    if (err instanceof InvalidObjectError) {
      throw failure(422, 'Invalid', err.message, { name: err.objectName, kind: err.kind, causes: err.causes.map((c) => ({ ...c })) });
    }
    throw err;
  }
}

/**
 * Admission of a new object, in the API server's order: mutating plugins, validation, then
 * validating plugins. Returns the object to store and writes that must commit with it (quota usage).
 */
export async function admitCreate(req: KubeRequest, input: KubeObject): Promise<{ object: KubeObject; extra: WriteOp[] }> {
  const { store } = req.deps;
  const def = req.storageDef;
  let obj = input;
  const name = obj.metadata.name ?? '';
  if (def.namespaced && obj.metadata.namespace) await checkNamespaceForCreate(store, req.clusterId, obj.metadata.namespace);
  if (req.deps.objectQuota) {
    const q = await req.deps.objectQuota.check(req.clusterId, req.cluster.tenantId);
    if (q && q.used >= q.limit) throw admissionForbidden(def, name, `exceeded the object quota of this cluster's plan: ${q.used}/${q.limit} objects`);
  }
  const limited = def.storage === 'pods' || def.storage === 'persistentvolumeclaims';
  const limitItems = limited && obj.metadata.namespace ? await loadLimitItems(store, req.clusterId, obj.metadata.namespace) : [];
  if (def.storage === 'pods') await admitNewPod(store, req.clusterId, obj, limitItems);
  if (def.storage === 'persistentvolumeclaims') await defaultClaimStorageClass(store, req.clusterId, obj);
  validateObject(def, obj, undefined);
  const allocated = await allocateService(req, obj);
  obj = allocated.object;
  const violations = limited ? await limitRangeViolations(store, req.clusterId, obj, limitItems) : [];
  if (violations.length) throw admissionForbidden(def, name, violations.length === 1 ? violations[0] : `[${violations.join(', ')}]`);
  try {
    const extra = await chargeQuota(store, req.clusterId, def.storage, obj);
    return { object: obj, extra: [...allocated.extra, ...extra] };
  } catch (err) {
    if (err instanceof QuotaExceededError) throw admissionForbidden(def, name, err.message);
    throw err;
  }
}

/** Admission of a replacement (PUT, patches): validation and service address changes. */
export async function admitUpdate(req: KubeRequest, obj: KubeObject, old: KubeObject, statusOnly: boolean): Promise<{ object: KubeObject; extra: WriteOp[] }> {
  if (statusOnly) return { object: obj, extra: [] };
  validateObject(req.storageDef, obj, old);
  return allocateService(req, obj, old);
}
