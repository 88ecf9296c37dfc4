import type { ObjectStore } from '../../store/objects.ts';

/**
 * What the API server would refuse or resolve when a controller creates an object, read once per
 * pass: creating content in a terminating namespace is forbidden, and priorityClassName becomes
 * spec.priority.
 */
export class CreateAdmission {
  private terminating?: Set<string>;
  private priorities?: Map<string, number>;
  private globalDefault?: number;

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

  /** spec.priority for a pod template, from its PriorityClass or the global default class. */
  async priorityFor(priorityClassName: string | undefined): Promise<number | undefined> {
    if (!this.priorities) {
      this.priorities = new Map();
      const list = await this.store.list(this.clusterId, 'priorityclasses.scheduling.k8s.io');
      for (const pc of list.items) {
        const value = Number(pc.value ?? 0);
        this.priorities.set(pc.metadata.name!, value);
        if (pc.globalDefault === true) this.globalDefault = value;
      }
      // Built-in classes exist on every cluster (k8s-behavior.md §1.6).
      if (!this.priorities.has('system-cluster-critical')) this.priorities.set('system-cluster-critical', 2000000000);
      if (!this.priorities.has('system-node-critical')) this.priorities.set('system-node-critical', 2000001000);
    }
    if (priorityClassName) return this.priorities.get(priorityClassName);
    return this.globalDefault;
  }
}
