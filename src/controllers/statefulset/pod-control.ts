import type { KubeObject } from '../../kube/types.ts';
import { asKind, type PersistentVolumeClaim, type Pod, type StatefulSet } from '../../kube/objects.ts';
import { requestDeletion } from '../../kube/deletion.ts';
import type { CreateAdmission } from '../shared/admission.ts';
import { canonicalJson } from '../shared/canonical.ts';
import type { Pass } from '../shared/pass.ts';
import { claimName, claimOwnerRefs, newClaim, ordinalOf } from './identity.ts';

/**
 * StatefulPodControl: the writes of the StatefulSet controller, each with the Event Kubernetes
 * records ("create Pod web-0 in StatefulSet web successful", "create Claim data-web-0 Pod web-0
 * in StatefulSet web success").
 */
export class StatefulPodControl {
  constructor(
    private readonly pass: Pass,
    private readonly set: StatefulSet,
    /** PVCs of the set's namespace by name; kept current as claims are created. */
    private readonly claims: Map<string, PersistentVolumeClaim>,
    private readonly admission: CreateAdmission,
  ) {}

  /** Creates missing claims; returns false when a claim is being deleted (the pod must wait). */
  async ensureClaims(podName: string, ordinal: number): Promise<boolean> {
    for (const t of this.set.spec?.volumeClaimTemplates ?? []) {
      const name = claimName(t, this.set, ordinal);
      const existing = this.claims.get(name);
      if (existing?.metadata.deletionTimestamp) {
        await this.pass.event(
          this.set,
          'Warning',
          'FailedCreate',
          `create Pod ${podName} in StatefulSet ${this.set.metadata.name} failed error: pvc ${name} is being deleted`,
        );
        return false;
      }
      if (existing) continue;
      const claim = newClaim(this.set, t, ordinal);
      const refs = claimOwnerRefs(claim, this.set, undefined, ordinal);
      if (refs.length) claim.metadata.ownerReferences = refs;
      const refused = await this.admission.admit('persistentvolumeclaims', claim);
      if (refused) {
        await this.pass.event(
          this.set,
          'Warning',
          'FailedCreate',
          `create Claim ${name} for Pod ${podName} in StatefulSet ${this.set.metadata.name} failed error: ${refused}`,
        );
        return false;
      }
      const created = await this.commitCreate(claim);
      if (!created) return false;
      this.claims.set(name, created);
      await this.pass.event(this.set, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${podName} in StatefulSet ${this.set.metadata.name} success`);
    }
    return true;
  }

  async createPod(pod: Pod, ordinal: number): Promise<Pod | undefined> {
    const ns = this.set.metadata.namespace ?? '';
    const forbidden = await this.admission.forbiddenReason('pods', ns, pod.metadata.name!);
    if (forbidden) {
      await this.pass.event(
        this.set,
        'Warning',
        'FailedCreate',
        `create Pod ${pod.metadata.name} in StatefulSet ${this.set.metadata.name} failed error: ${forbidden}`,
      );
      return undefined;
    }
    const refused = await this.admission.admitPod(pod);
    if (refused) {
      await this.pass.event(
        this.set,
        'Warning',
        'FailedCreate',
        `create Pod ${pod.metadata.name} in StatefulSet ${this.set.metadata.name} failed error: ${refused}`,
      );
      return undefined;
    }
    if (!(await this.ensureClaims(pod.metadata.name!, ordinal))) {
      this.admission.abandon([pod]);
      return undefined;
    }
    const created = await this.commitCreate(pod);
    if (created)
      await this.pass.event(this.set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${this.set.metadata.name} successful`);
    return created;
  }

  /** Stores an admitted object with the quota usage it adds; undefined when the write raced. */
  private async commitCreate<T extends KubeObject>(obj: T): Promise<T | undefined> {
    const ops = await this.admission.createOps([obj]);
    const stored = await this.pass.attempt(() => this.pass.store.commit(this.pass.clusterId, ops));
    await this.admission.settle([obj], stored);
    return stored?.[0] as T | undefined; // the object as stored: the same kind
  }

  /** Returns the pod as it is after the call (terminating), or undefined when it is gone. */
  async deletePod(pod: Pod): Promise<Pod | undefined> {
    const result = await this.pass.attempt(() =>
      requestDeletion(this.pass.store, this.pass.clusterId, 'pods', pod.metadata.namespace ?? '', pod.metadata.name!, {
        preconditions: { uid: pod.metadata.uid },
      }),
    );
    if (!result) return pod;
    await this.pass.event(this.set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${this.set.metadata.name} successful`);
    return result.deleted ? undefined : asKind('pods', result.object);
  }

  async updatePod(pod: Pod): Promise<Pod> {
    const saved = await this.pass.attempt(() => this.pass.store.update(this.pass.clusterId, 'pods', pod));
    return saved ?? pod;
  }

  /** Brings a pod's claims' owner references in line with the retention policy. */
  async syncClaimOwners(pod: Pod): Promise<void> {
    const ordinal = ordinalOf(pod, this.set.metadata.name!);
    for (const t of this.set.spec?.volumeClaimTemplates ?? []) {
      const claim = this.claims.get(claimName(t, this.set, ordinal));
      if (!claim || claim.metadata.deletionTimestamp) continue;
      const refs = claimOwnerRefs(claim, this.set, pod, ordinal);
      if (canonicalJson(refs) === canonicalJson(claim.metadata.ownerReferences ?? [])) continue;
      const next = structuredClone(claim);
      if (refs.length) next.metadata.ownerReferences = refs;
      else delete next.metadata.ownerReferences;
      const saved = await this.pass.attempt(() => this.pass.store.update(this.pass.clusterId, 'persistentvolumeclaims', next));
      if (saved) this.claims.set(saved.metadata.name!, saved);
    }
  }
}
