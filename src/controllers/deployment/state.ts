import type { Deployment, Pod, ReplicaSet, WithSpec } from '../../kube/objects.ts';
import { canonicalJson } from '../shared/canonical.ts';
import type { CreateAdmission } from '../shared/admission.ts';
import type { Pass } from '../shared/pass.ts';
import { maxSurge } from './rollout-math.ts';
import { replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './annotations.ts';
import { rolloutSpec, specReplicas } from './spec.ts';
import type { DeploymentStatus } from './status.ts';

/** Thrown when a write of this sync lost a race: the pass stops this Deployment and runs again. */
export class SyncAborted extends Error {}

/**
 * One Deployment being synced: the latest stored Deployment and its ReplicaSets, and the writes
 * that keep them current (every write is checked against resourceVersion).
 */
export class DeploymentState {
  constructor(
    readonly pass: Pass,
    /** Validation requires a Deployment's spec (selector and template). */
    public d: WithSpec<Deployment>,
    public replicaSets: ReplicaSet[],
    /** Pods (terminating included) controlled by a ReplicaSet uid; Recreate waits for them. */
    readonly podsOf: (rsUid: string) => Pod[],
    /** Admission for the ReplicaSets this sync creates (shared by the pass). */
    readonly admission: CreateAdmission,
  ) {}

  get spec() {
    return rolloutSpec(this.d);
  }

  get now(): number {
    return this.pass.nowMs;
  }

  async updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    const saved = await this.pass.attempt(() => this.pass.store.update(this.pass.clusterId, 'replicasets.apps', rs));
    if (!saved) throw new SyncAborted();
    this.replicaSets = this.replicaSets.map((r) => (r.metadata.uid === saved.metadata.uid ? saved : r));
    return saved;
  }

  /** Writes the Deployment (annotations and status travel together, as the controller's UpdateStatus does). */
  async updateDeployment(d: WithSpec<Deployment>): Promise<void> {
    const saved = await this.pass.attempt(() => this.pass.store.update(this.pass.clusterId, 'deployments.apps', d));
    if (!saved) throw new SyncAborted();
    this.d = saved;
  }

  async writeStatusIfChanged(status: DeploymentStatus): Promise<boolean> {
    if (canonicalJson(this.d.status ?? {}) === canonicalJson(status)) return false;
    await this.updateDeployment({ ...this.d, status });
    return true;
  }

  /**
   * scaleReplicaSet: resize and refresh the desired/max-replicas annotations; the ScalingReplicaSet
   * Event reads "Scaled up replica set web-abc from 1 to 3". Returns whether the size changed.
   */
  async scaleReplicaSet(rs: ReplicaSet, newScale: number, direction?: 'up' | 'down'): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const spec = this.spec;
    const max = spec.replicas + maxSurge(spec);
    const oldScale = specReplicas(rs);
    const sizeChanges = oldScale !== newScale;
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, spec.replicas, max)) return { scaled: false, rs };
    const next = structuredClone(rs) as WithSpec<ReplicaSet>; // validation requires a ReplicaSet's spec
    next.spec.replicas = newScale;
    setReplicasAnnotations(next, spec.replicas, max);
    const saved = await this.updateReplicaSet(next);
    if (sizeChanges) {
      const op = direction ?? (oldScale < newScale ? 'up' : 'down');
      await this.pass.event(this.d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeChanges, rs: saved };
  }

  /** scaleReplicaSetAndRecordEvent: only when the size differs. */
  async scaleIfNeeded(rs: ReplicaSet, newScale: number): Promise<boolean> {
    if (specReplicas(rs) === newScale) return false;
    return (await this.scaleReplicaSet(rs, newScale)).scaled;
  }

  latest(rs: ReplicaSet): ReplicaSet {
    return this.replicaSets.find((r) => r.metadata.uid === rs.metadata.uid) ?? rs;
  }
}
