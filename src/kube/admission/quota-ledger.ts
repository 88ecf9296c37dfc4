import type { ObjectStore, WriteOp } from '../../store/objects.ts';
import type { KubeObject } from '../types.ts';
import { formatAmount as formatQuantity, quantityValue as parseQuantity } from '../../lib/quantity.ts';
import { quotaCovers } from './quota-scopes.ts';
import { missingCompute, QuotaExceededError, usageOf, usedIn } from './quota.ts';

/** What one admitted object adds to each quota that covers it: quota name → quota key → amount. */
export type QuotaCharge = Map<string, Record<string, number>>;

interface Tracked {
  /** The quota as read; its resourceVersion guards the status write (a compare-and-swap). */
  quota: KubeObject;
  /** What the quota's objects use per key, before any charge not yet committed. */
  used: Map<string, number>;
}

const fmt = (rec: Record<string, number>, keys: string[]) => keys.map((k) => `${k}=${formatQuantity(rec[k] ?? 0)}`).join(',');

/**
 * The ResourceQuotas of one namespace as admission charges them, the way the API server's quota
 * admission does: a new object fits when `status.used` plus what it adds stays within `hard`, and
 * the raised `status.used` commits with the object, guarded by the quota's resourceVersion. So two
 * creates racing for the last unit cannot both win (the loser's commit is a Conflict and it is
 * admitted again on fresh quotas), and no object is counted twice or not at all. Nothing lists the
 * namespace's objects per create; only a quota whose status the ResourceQuota controller has not
 * yet computed for a key (new, or its hard limits just changed) is counted from the objects once.
 *
 * One ledger may admit several objects before they commit (a controller's batch): each check
 * adds the charges still `pending`, and `writes` sums the charges of the objects of one commit.
 */
export class QuotaLedger {
  private readonly tracked: Tracked[];

  constructor(
    private readonly store: ObjectStore,
    private readonly clusterId: string,
    quotas: KubeObject[],
  ) {
    this.tracked = quotas.map((quota) => ({ quota, used: new Map() }));
  }

  static async load(store: ObjectStore, clusterId: string, ns: string): Promise<QuotaLedger> {
    const { items } = await store.list(clusterId, 'resourcequotas', { namespace: ns });
    return new QuotaLedger(store, clusterId, items);
  }

  /**
   * Checks that `obj` fits every quota whose scopes cover it, on top of `pending` charges admitted
   * but not committed yet; returns its charge. Throws QuotaExceededError with the API server's words.
   */
  async charge(resourceKey: string, obj: KubeObject, pending: Iterable<QuotaCharge> = []): Promise<QuotaCharge> {
    const charge: QuotaCharge = new Map();
    if (this.tracked.length === 0) return charge;
    const delta = usageOf(resourceKey, obj);
    const pendingList = [...pending];
    for (const t of this.tracked) {
      const hard: Record<string, string> = t.quota.spec?.hard ?? {};
      const keys = Object.keys(hard).filter((k) => k in delta || k.startsWith(`count/${resourceKey}`));
      if (keys.length === 0 || !quotaCovers(t.quota, resourceKey, obj)) continue;
      const name = t.quota.metadata.name!;
      if (resourceKey === 'pods') {
        const missing = missingCompute(obj, hard);
        if (missing.length) throw new QuotaExceededError(`failed quota: ${name}: must specify ${missing.join('; ')}`);
      }
      await this.ensureUsage(t, resourceKey, keys);
      const used: Record<string, number> = {};
      for (const k of keys) {
        used[k] = t.used.get(k)!;
        for (const p of pendingList) used[k] += p.get(name)?.[k] ?? 0;
      }
      const over = keys.filter((k) => (delta[k] ?? 0) > 0 && used[k] + (delta[k] ?? 0) > (parseQuantity(hard[k]) ?? Infinity));
      if (over.length) {
        throw new QuotaExceededError(
          `exceeded quota: ${name}, requested: ${fmt(delta, over)}, used: ${fmt(used, over)}, limited: ${over.map((k) => `${k}=${hard[k]}`).join(',')}`,
        );
      }
      charge.set(name, Object.fromEntries(keys.map((k) => [k, delta[k] ?? 0])));
    }
    return charge;
  }

  /** The quota status writes that commit `charges` (the objects of one commit) with those objects. */
  writes(charges: Iterable<QuotaCharge>): WriteOp[] {
    const sums = new Map<string, Record<string, number>>();
    for (const charge of charges) {
      for (const [name, add] of charge) {
        const sum = sums.get(name) ?? {};
        for (const [k, v] of Object.entries(add)) sum[k] = (sum[k] ?? 0) + v;
        sums.set(name, sum);
      }
    }
    const ops: WriteOp[] = [];
    for (const t of this.tracked) {
      const sum = sums.get(t.quota.metadata.name!);
      if (!sum) continue;
      const next = structuredClone(t.quota);
      next.status = { hard: { ...(t.quota.spec?.hard ?? {}) }, used: { ...(t.quota.status?.used ?? {}) } };
      for (const [k, v] of Object.entries(sum)) {
        const base = t.used.get(k);
        if (base === undefined) throw new Error(`quota ${t.quota.metadata.name}: no usage known for ${k}`);
        next.status.used[k] = formatQuantity(base + v);
      }
      // The quota's resourceVersion stays: a charge or recount committed since it was read fails this write.
      ops.push({ op: 'update', resource: 'resourcequotas', object: next });
    }
    return ops;
  }

  /** Takes the quotas a commit wrote back (their new status and resourceVersion). */
  committed(stored: KubeObject[]): void {
    for (const quota of stored) {
      if (quota.kind !== 'ResourceQuota') continue;
      const t = this.tracked.find((x) => x.quota.metadata.name === quota.metadata.name);
      // Its status.used is now exact for every key it records (this commit wrote hard = spec.hard).
      if (t) Object.assign(t, { quota, used: new Map(Object.entries(quota.status?.used ?? {}).map(([k, v]) => [k, parseQuantity(v) ?? 0])) });
    }
  }

  /**
   * Usage per key from `status.used` when the controller has computed it for the current hard
   * limit; otherwise counted from the namespace's objects (upstream refuses with "status unknown"
   * until the controller catches up; counting keeps a quota usable the moment it is created).
   */
  private async ensureUsage(t: Tracked, resourceKey: string, keys: string[]): Promise<void> {
    const hard: Record<string, string> = t.quota.spec?.hard ?? {};
    const status = t.quota.status ?? {};
    const unknown: string[] = [];
    for (const k of keys) {
      if (t.used.has(k)) continue;
      const recorded = status.used?.[k];
      if (recorded !== undefined && status.hard?.[k] === hard[k]) t.used.set(k, parseQuantity(recorded) ?? 0);
      else unknown.push(k);
    }
    if (unknown.length === 0) return;
    const counted = await usedIn(this.store, this.clusterId, t.quota, resourceKey, unknown);
    for (const k of unknown) t.used.set(k, counted[k]);
  }
}
