import type { ObjectStore } from '../../store/objects.ts';
import type { KubeObject } from '../types.ts';
import { loadLimitItems, type LimitItem } from './limitranges.ts';
import { QuotaLedger } from './quota-ledger.ts';
import type { PodRoom } from '../../store/pod-limit.ts';

/**
 * What admission reads about the namespaces it admits into: the Namespace, its LimitRanges and its
 * ResourceQuotas, each read once. An API request uses a scope for one object; a controller pass
 * keeps one for all the objects it creates, so a 1,000-pod scale-up reads them once, not per pod.
 */
export class AdmissionScope {
  private namespaces = new Map<string, Promise<KubeObject | undefined>>();
  private limits = new Map<string, Promise<LimitItem[]>>();
  private quotas = new Map<string, Promise<QuotaLedger>>();
  private room?: Promise<PodRoom | undefined>;
  /** Pods admitted through this scope that the stored count read at first use does not include yet. */
  private podsAdmitted = 0;

  constructor(
    readonly store: ObjectStore,
    readonly clusterId: string,
    /**
     * Whether a create into a namespace that does not exist is refused (NotFound). Controllers
     * create only for an owner stored in that namespace, so for them the lifecycle check is the
     * terminating one (worlds built straight in the store, as controller tests build, have no
     * Namespace objects).
     */
    readonly requireNamespace = true,
  ) {}

  namespace(ns: string): Promise<KubeObject | undefined> {
    return cached(this.namespaces, ns, () => this.store.get(this.clusterId, 'namespaces', '', ns));
  }

  limitItems(ns: string): Promise<LimitItem[]> {
    return cached(this.limits, ns, () => loadLimitItems(this.store, this.clusterId, ns));
  }

  quotaLedger(ns: string): Promise<QuotaLedger> {
    return cached(this.quotas, ns, () => QuotaLedger.load(this.store, this.clusterId, ns));
  }

  /** The cluster's pod bound with the pods already stored plus those admitted here; undefined: no bound. */
  async podRoom(): Promise<PodRoom | undefined> {
    this.room ??= this.store.podRoom(this.clusterId);
    const room = await this.room;
    return room && { limit: room.limit, used: room.used + this.podsAdmitted };
  }

  /** Counts admitted pods against the bound (negative: admitted pods that will not be stored after all). */
  podsTaken(n: number): void {
    this.podsAdmitted = Math.max(0, this.podsAdmitted + n);
  }

  /** Forgets a namespace's quotas after a commit lost a race on them; the next admission reads them afresh. */
  forgetQuotas(ns: string): void {
    this.quotas.delete(ns);
  }
}

function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = load();
    map.set(key, p);
    // A failed read is not remembered.
    p.catch(() => map.delete(key));
  }
  return p;
}
