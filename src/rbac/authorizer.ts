import type { ObjectStore } from '../store/objects.ts';
import type { ChangeFeed } from '../kube/watch/feed.ts';
import { Policy } from './policy.ts';
import { MASTERS_GROUP, RBAC_RESOURCES, type ImplicitBinding, type RequestAttributes, type UserInfo } from './types.ts';
import type { Decision } from './policy.ts';

const WATCHED = new Set<string>(Object.values(RBAC_RESOURCES));

export interface RbacAuthorizerOptions {
  /**
   * A compiled policy older than this is rebuilt: the backstop for a lost change message, or, without
   * a feed (Workers, whose isolates share no pub/sub), how stale a decision may be.
   */
  maxAgeMs?: number;
  /** Compiled policies kept; the least recently used cluster's is dropped beyond it. */
  maxClusters?: number;
  now?: () => number;
}

interface Entry {
  policy: Promise<Policy>;
  /** Set once loaded: what requests other than the loading one use. */
  resolved?: Policy;
  loadedAt: number;
  unsubscribe: () => void;
}

/**
 * The RBAC authorizer of every cluster: each cluster's Roles, ClusterRoles and bindings compiled
 * once and kept until the change feed reports a write to one of them, so a decision costs no query.
 * Members of system:masters (the kubeconfig's cluster-admin) are allowed everything, as upstream's
 * privileged-group authorizer does, without looking at the policy.
 */
export class RbacAuthorizer {
  private readonly entries = new Map<string, Entry>();
  private readonly maxAgeMs: number;
  private readonly maxClusters: number;
  private readonly now: () => number;

  constructor(
    private readonly store: ObjectStore,
    /** Tells of RBAC writes, from this process and others; without one, `maxAgeMs` alone bounds staleness. */
    private readonly feed: ChangeFeed | undefined,
    opts: RbacAuthorizerOptions = {},
  ) {
    this.maxAgeMs = opts.maxAgeMs ?? 60_000;
    this.maxClusters = opts.maxClusters ?? 2_000;
    this.now = opts.now ?? (() => Date.now());
  }

  async authorize(clusterId: string, user: UserInfo, attrs: RequestAttributes, implicit?: ImplicitBinding[]): Promise<Decision> {
    if (user.groups.includes(MASTERS_GROUP)) return { allowed: true, reason: `allowed by the ${MASTERS_GROUP} group` };
    return (await this.policy(clusterId)).authorize(user, attrs, implicit);
  }

  /** The compiled policy of a cluster (built on first use, and again after an RBAC write). */
  policy(clusterId: string): Promise<Policy> {
    const hit = this.entries.get(clusterId);
    if (hit && this.now() - hit.loadedAt <= this.maxAgeMs) {
      // Map order is use order: the first entry is the least recently used.
      this.entries.delete(clusterId);
      this.entries.set(clusterId, hit);
      if (hit.resolved) return Promise.resolve(hit.resolved);
      // Without a feed (Workers) a request must not await I/O another request started: it loads its own.
      return this.feed ? hit.policy : this.load(clusterId);
    }
    if (hit) this.drop(clusterId);
    // Subscribed before the read, so a write that lands during it is not missed.
    const unsubscribe =
      this.feed?.subscribe(clusterId, (events) => {
        if (events.some((e) => WATCHED.has(e.resource)) && this.entries.get(clusterId) === entry) this.drop(clusterId);
      }) ?? (() => undefined);
    const entry: Entry = { policy: this.load(clusterId), loadedAt: this.now(), unsubscribe };
    entry.policy.then(
      (p) => (entry.resolved = p),
      () => this.entries.get(clusterId) === entry && this.drop(clusterId),
    );
    this.entries.set(clusterId, entry);
    while (this.entries.size > this.maxClusters) this.drop(this.entries.keys().next().value!);
    return entry.policy;
  }

  private drop(clusterId: string): void {
    const entry = this.entries.get(clusterId);
    if (!entry) return;
    this.entries.delete(clusterId);
    entry.unsubscribe();
  }

  private async load(clusterId: string): Promise<Policy> {
    const list = async (resource: string) => (await this.store.list(clusterId, resource)).items;
    const [roles, clusterRoles, roleBindings, clusterRoleBindings] = await Promise.all([
      list(RBAC_RESOURCES.roles),
      list(RBAC_RESOURCES.clusterroles),
      list(RBAC_RESOURCES.rolebindings),
      list(RBAC_RESOURCES.clusterrolebindings),
    ]);
    return new Policy({ roles, clusterRoles, roleBindings, clusterRoleBindings });
  }
}
