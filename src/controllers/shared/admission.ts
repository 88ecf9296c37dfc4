import type { KubeObject } from '../../kube/types.ts';
import type { ObjectStore } from '../../store/objects.ts';
import { admitNewPod } from '../../kube/admission/pods.ts';
import { loadLimitItems } from '../../kube/admission/limitranges.ts';
import { defaultPod } from '../../kube/defaults/pod.ts';
import { KubeError } from '../../kube/status.ts';

/**
 * What the API server does to a pod a controller creates, since controllers write to the store
 * directly: refuse content in a terminating namespace, apply the pod defaults and the mutating
 * admission (service account, priority, RuntimeClass, LimitRange defaults, default tolerations,
 * QoS class). Namespaces and LimitRanges are read once per pass.
 */
export class CreateAdmission {
  private terminating?: Set<string>;
  private limits = new Map<string, unknown[]>();

  constructor(
    private readonly store: ObjectStore,
    private readonly clusterId: string,
  ) {}

  /** The API server's message for a create in a terminating namespace, or undefined when allowed. */
  async forbiddenReason(resource: string, namespace: string, name: string): Promise<string | undefined> {
    if (!this.terminating) {
      const list = await this.store.list(this.clusterId, 'namespaces');
      this.terminating = new Set(list.items.filter((n) => n.metadata.deletionTimestamp || n.status?.phase === 'Terminating').map((n) => n.metadata.name!));
    }
    if (!this.terminating.has(namespace)) return undefined;
    return `${resource} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`;
  }

  /** Defaults and admits a new pod in place; returns the API server's refusal message, if any. */
  async admitPod(pod: KubeObject): Promise<string | undefined> {
    const ns = pod.metadata.namespace ?? 'default';
    let limits = this.limits.get(ns);
    if (!limits) this.limits.set(ns, (limits = await loadLimitItems(this.store, this.clusterId, ns)));
    defaultPod(pod);
    try {
      await admitNewPod(this.store, this.clusterId, pod, limits);
      return undefined;
    } catch (err) {
      if (err instanceof KubeError) return err.message;
      throw err;
    }
  }

  /** Admits pods in order, stopping at the first refusal (slow-start stops at an error too). */
  async admitPods(pods: KubeObject[]): Promise<{ admitted: KubeObject[]; error?: string }> {
    const admitted: KubeObject[] = [];
    for (const pod of pods) {
      const error = await this.admitPod(pod);
      if (error) return { admitted, error };
      admitted.push(pod);
    }
    return { admitted };
  }
}
