import type { WriteOp } from '../../store/objects.ts';
import type { KubeObject } from '../types.ts';
import type { KubeRequest } from '../handlers/context.ts';
import { admissionForbidden, failure } from '../status.ts';
import { validateObject } from '../objects/prepare.ts';
import { allocateServiceAddresses } from '../service-addresses/allocate.ts';
import { InvalidObjectError } from '../service-addresses/errors.ts';
import { checkNamespaceForCreate } from './namespace.ts';
import { admitNewPod } from './pods.ts';
import { limitRangeViolations } from './limitranges.ts';
import { QuotaExceededError } from './quota.ts';
import type { QuotaCharge } from './quota-ledger.ts';
import { AdmissionScope } from './scope.ts';
import type { ResourceDef } from '../registry/types.ts';
import { defaultClaimStorageClass } from './storage-class.ts';
import { defaultIngressClass } from './ingress-class.ts';
import { podLimitMessage } from '../../store/pod-limit.ts';
import { checkRbacEscalation } from './rbac-escalation.ts';

/** ClusterIP and node ports, with the reservation writes that must commit with the service. */
async function allocateService(scope: AdmissionScope, def: ResourceDef, obj: KubeObject, old?: KubeObject): Promise<{ object: KubeObject; extra: WriteOp[] }> {
  if (def.storage !== 'services') return { object: obj, extra: [] };
  try {
    const { service, ops } = await allocateServiceAddresses(scope.store, scope.clusterId, obj, old);
    return { object: service, extra: ops };
  } catch (err) {
    if (err instanceof InvalidObjectError) {
      throw failure(422, 'Invalid', err.message, { name: err.objectName, kind: err.kind, causes: err.causes.map((c) => ({ ...c })) });
    }
    throw err;
  }
}

/** A new object as admission left it: what to store, writes that must commit with it, and its quota charge. */
export interface AdmittedObject {
  object: KubeObject;
  /** Address reservations of a Service. */
  extra: WriteOp[];
  /** What it adds to its namespace's quotas; `QuotaLedger.writes` turns charges into the status writes. */
  charge: QuotaCharge;
}

/**
 * Admission of a new object, in the API server's order: mutating plugins, validation, then
 * validating plugins (LimitRanger, ResourceQuota). Every create goes through it, whether a client
 * sent it or a controller makes it (defaults must already be applied), as in Kubernetes.
 * `pending`: quota charges of objects admitted through the same scope but not yet committed.
 * Throws the API server's Status error (403 Forbidden, 422 Invalid...).
 */
export async function admitNewObject(scope: AdmissionScope, def: ResourceDef, input: KubeObject, pending: Iterable<QuotaCharge> = []): Promise<AdmittedObject> {
  const { store, clusterId } = scope;
  let obj = input;
  const name = obj.metadata.name ?? '';
  const ns = def.namespaced ? obj.metadata.namespace : undefined;
  if (ns) await checkNamespaceForCreate(scope, ns, def, name);
  const limited = def.storage === 'pods' || def.storage === 'persistentvolumeclaims';
  const limitItems = limited && ns ? await scope.limitItems(ns) : [];
  if (def.storage === 'pods') await admitNewPod(store, clusterId, obj, limitItems);
  if (def.storage === 'persistentvolumeclaims') await defaultClaimStorageClass(store, clusterId, obj);
  if (def.storage === 'ingresses.networking.k8s.io') await defaultIngressClass(store, clusterId, obj);
  validateObject(def, obj, undefined);
  const allocated = await allocateService(scope, def, obj);
  obj = allocated.object;
  const violations = limited ? await limitRangeViolations(store, clusterId, obj, limitItems) : [];
  if (violations.length) throw admissionForbidden(def, name, violations.length === 1 ? violations[0] : `[${violations.join(', ')}]`);
  if (def.storage === 'pods') await checkPodBound(scope, obj);
  if (!ns) return { object: obj, extra: allocated.extra, charge: new Map() };
  try {
    const charge = await (await scope.quotaLedger(ns)).charge(def.storage, obj, pending);
    if (def.storage === 'pods') scope.podsTaken(1);
    return { object: obj, extra: allocated.extra, charge };
  } catch (err) {
    if (err instanceof QuotaExceededError) throw admissionForbidden(def, name, err.message);
    throw err;
  }
}

/**
 * The plan's pods per cluster, checked like a quota so a controller's batch stops at the bound with
 * FailedCreate; the store checks again in the commit, exactly, against concurrent creates.
 */
async function checkPodBound(scope: AdmissionScope, pod: KubeObject): Promise<void> {
  const room = await scope.podRoom();
  if (room && room.used + 1 > room.limit) throw failure(403, 'Forbidden', podLimitMessage(pod, 1, room), { name: pod.metadata.name, kind: 'pods' });
}

/**
 * Admission of a create sent to the API: the plan's object quota, then the chain every create goes
 * through. Returns the object to store and writes that must commit with it (addresses, quota usage).
 */
export async function admitCreate(req: KubeRequest, input: KubeObject): Promise<{ object: KubeObject; extra: WriteOp[] }> {
  const def = req.storageDef;
  if (req.deps.objectQuota) {
    const q = await req.deps.objectQuota.check(req.clusterId, req.cluster.tenantId);
    if (q && q.used >= q.limit)
      throw admissionForbidden(def, input.metadata.name ?? '', `exceeded the object quota of this cluster's plan: ${q.used}/${q.limit} objects`);
  }
  const scope = new AdmissionScope(req.deps.store, req.clusterId);
  const { object, extra, charge } = await admitNewObject(scope, def, input);
  await checkRbacEscalation(req, object);
  const ns = def.namespaced ? object.metadata.namespace : undefined;
  const quotaWrites = ns && charge.size ? (await scope.quotaLedger(ns)).writes([charge]) : [];
  return { object, extra: [...extra, ...quotaWrites] };
}

/** Admission of a replacement (PUT, patches): validation and service address changes. */
export async function admitUpdate(req: KubeRequest, obj: KubeObject, old: KubeObject, statusOnly: boolean): Promise<{ object: KubeObject; extra: WriteOp[] }> {
  if (statusOnly) {
    // A custom resource's status is validated against its CRD's schema too.
    if (req.storageDef.custom) validateObject(req.storageDef, obj, old);
    return { object: obj, extra: [] };
  }
  validateObject(req.storageDef, obj, old);
  await checkRbacEscalation(req, obj, old);
  return allocateService(new AdmissionScope(req.deps.store, req.clusterId), req.storageDef, obj, old);
}
