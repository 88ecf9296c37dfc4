import type { KubeObject } from '../../kube/types.ts';
import { asKind } from '../../kube/objects.ts';
import type { ObjectStore, WriteOp } from '../../store/objects.ts';
import { admitNewObject } from '../../kube/admission/index.ts';
import type { QuotaCharge } from '../../kube/admission/quota-ledger.ts';
import { AdmissionScope } from '../../kube/admission/scope.ts';
import { defaultRegistry } from '../../kube/registry/index.ts';
import { KubeError } from '../../kube/status.ts';

interface Pending {
  resource: string;
  namespace: string;
  charge: QuotaCharge;
}

/**
 * The API server's handling of an object a controller creates, since controllers write to the
 * store directly: the kind's defaults, then the same admission chain as a client's create
 * (namespace lifecycle, service account, priority, RuntimeClass, LimitRange defaults and bounds,
 * default tolerations, QoS class, validation, ResourceQuota). Namespaces, LimitRanges and quotas
 * are read once per pass; quota usage is charged in the commit that creates the objects
 * (`createOps`), so it can neither be lost nor counted twice.
 */
export class CreateAdmission {
  private readonly scope: AdmissionScope;
  /** Admitted objects not yet committed, with what they charge to their namespace's quotas. */
  private pending = new Map<KubeObject, Pending>();
  /** The same, by namespace, for those that charge a quota: the next admission counts them as used. */
  private charging = new Map<string, Map<KubeObject, QuotaCharge>>();

  constructor(store: ObjectStore, clusterId: string) {
    this.scope = new AdmissionScope(store, clusterId, false);
  }

  /** The API server's message for a create in a terminating namespace, or undefined when allowed. */
  async forbiddenReason(resource: string, namespace: string, name: string): Promise<string | undefined> {
    const found = await this.scope.namespace(namespace);
    const ns = found && asKind('namespaces', found);
    if (!ns?.metadata.deletionTimestamp && ns?.status?.phase !== 'Terminating') return undefined;
    return `${resource} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`;
  }

  /** Defaults and admits a new object in place; returns the API server's refusal message, if any. */
  async admit(resource: string, obj: KubeObject): Promise<string | undefined> {
    const def = defaultRegistry.storageDef(resource);
    if (!def) throw new Error(`no resource ${resource}`);
    def.defaults?.(obj);
    const namespace = obj.metadata.namespace ?? '';
    try {
      const charging = this.charging.get(namespace);
      const { charge } = await admitNewObject(this.scope, def, obj, charging?.values() ?? []);
      this.pending.set(obj, { resource, namespace, charge });
      if (charge.size) {
        if (charging) charging.set(obj, charge);
        else this.charging.set(namespace, new Map([[obj, charge]]));
      }
      return undefined;
    } catch (err) {
      if (err instanceof KubeError) return err.message;
      throw err;
    }
  }

  admitPod(pod: KubeObject): Promise<string | undefined> {
    return this.admit('pods', pod);
  }

  /** Admits pods in order, stopping at the first refusal (slow-start stops at an error too). */
  async admitPods<T extends KubeObject>(pods: T[]): Promise<{ admitted: T[]; error?: string }> {
    const admitted: T[] = [];
    for (const pod of pods) {
      const error = await this.admitPod(pod);
      if (error) return { admitted, error };
      admitted.push(pod);
    }
    return { admitted };
  }

  /**
   * Admits one object and creates it in its own commit, with what it charges to quota (a
   * Deployment's ReplicaSet, a ControllerRevision, a status ConfigMap). Returns the stored object or
   * the API server's refusal. Store errors propagate (AlreadyExists; a Conflict when another create
   * charged the quota first, after which the quotas are read afresh).
   */
  async create<T extends KubeObject>(resource: string, obj: T): Promise<{ created: T } | { refused: string }> {
    const refused = await this.admit(resource, obj);
    if (refused) return { refused };
    let stored: KubeObject[] | undefined;
    try {
      stored = await this.scope.store.commit(this.scope.clusterId, await this.createOps([obj]));
      return { created: stored[0] as T }; // the object as stored: the same kind
    } finally {
      await this.settle([obj], stored);
    }
  }

  /** One commit's ops for admitted objects: their creates, then the quota usage they add. */
  async createOps(objects: KubeObject[]): Promise<WriteOp[]> {
    const ops: WriteOp[] = [];
    const charges = new Map<string, QuotaCharge[]>();
    for (const object of objects) {
      const p = this.pending.get(object);
      if (!p) throw new Error(`${object.metadata.name} was not admitted`);
      ops.push({ op: 'create', resource: p.resource, object });
      if (p.charge.size) charges.set(p.namespace, [...(charges.get(p.namespace) ?? []), p.charge]);
    }
    for (const [ns, list] of charges) ops.push(...(await this.scope.quotaLedger(ns)).writes(list));
    return ops;
  }

  /**
   * After a commit of `createOps(objects)`: `stored` is what the store returned (the quotas after
   * the objects), or undefined when the commit failed; quotas are then read afresh next time.
   */
  async settle(objects: KubeObject[], stored: KubeObject[] | undefined): Promise<void> {
    const namespaces = new Set<string>();
    for (const object of objects) {
      const p = this.pending.get(object);
      if (p?.charge.size) namespaces.add(p.namespace);
      if (stored) this.forget(object);
      else this.release(object);
    }
    for (const ns of namespaces) {
      if (stored) (await this.scope.quotaLedger(ns)).committed(stored.slice(objects.length));
      else this.scope.forgetQuotas(ns);
    }
  }

  /** Objects admitted but never to be committed (a batch stopped early) charge nothing. */
  abandon(objects: KubeObject[]): void {
    for (const object of objects) this.release(object);
  }

  /** Forgets an object that will not be stored: a pod gives its place under the cluster's pod bound back. */
  private release(object: KubeObject): void {
    if (this.pending.get(object)?.resource === 'pods') this.scope.podsTaken(-1);
    this.forget(object);
  }

  private forget(object: KubeObject): void {
    const p = this.pending.get(object);
    if (!p) return;
    this.pending.delete(object);
    this.charging.get(p.namespace)?.delete(object);
  }
}
