import { and, asc, eq, sql } from 'drizzle-orm';
import { clusterTime, isoTime, type Clock } from '../lib/clock.ts';
import type { KubeObject, WatchEvent } from '../kube/types.ts';
import { WriteConflictError, type Database, type WriteStatement } from './db.ts';
import { StoreError } from './errors.ts';
import { hasGeneration } from './generation.ts';
import { clusters, objects, watchEvents } from './schema/index.ts';
import { objectStatements, type ObjectStatements } from './object-statements.ts';
import { podLimitMessage, type PodLimit, type PodRoom } from './pod-limit.ts';

/** One change inside a commit. `resource` is the plural.group key, e.g. `pods` or `deployments.apps`. */
export type WriteOp =
  | { op: 'create'; resource: string; object: KubeObject }
  /** Replaces the stored object. When `object.metadata.resourceVersion` is set it must match (409 otherwise). */
  | { op: 'update'; resource: string; object: KubeObject }
  | { op: 'delete'; resource: string; namespace: string; name: string; resourceVersion?: string; uid?: string };

export interface ListOptions {
  namespace?: string;
  filter?: (o: KubeObject) => boolean;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
}

/** Called after every commit with the events it produced (watch fan-out, controller triggers). */
/** An object of type `T` as the store returns it: its own fields, and every field of stored metadata. */
export type Stamped<T extends KubeObject> = T & KubeObject<unknown, unknown>;

export type CommitListener = (clusterId: string, events: WatchEvent[]) => void;

/** Like a listener, but awaited before the commit returns (its failure does not fail the commit). On
 * Workers, I/O left running after an invocation ends is cancelled, so wake-ups must finish inside it. */
export type CommitHook = (clusterId: string, events: WatchEvent[]) => Promise<void>;

/** One op of a commit as a write hook sees it: `before` is the stored state the commit read (absent
 * on create), `after` the state it writes (absent on delete). */
export interface ObjectChange {
  resource: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  before?: KubeObject;
  after?: KubeObject;
}

/** Derives statements that must commit with the objects (billing intervals follow object state).
 * Runs on every attempt of a commit, so a compare-and-swap retry recomputes them from fresh state. */
export type WriteHook = (clusterId: string, changes: ObjectChange[], clusterNowMs: number) => WriteStatement[] | Promise<WriteStatement[]>;

interface RegisteredWriteHook {
  hook: WriteHook;
  /** Resources it cares about; undefined means all. */
  resources?: ReadonlySet<string>;
}

export interface CommitOptions {
  /** Extra statements that must commit with the objects (billing intervals, audit rows). They may
   * depend on the commit's cluster time, hence the callback. */
  extra?: (clusterNowMs: number) => WriteStatement[];
  /** May share one atomic write with other grouped commits of the cluster (see ObjectStore.groupCommit). */
  group?: boolean;
}

const MAX_CAS_RETRIES = 50;
/** Commits one grouped write takes at most. */
const MAX_GROUP = 64;

interface GroupedCommit {
  ops: WriteOp[];
  options: CommitOptions;
  resolve(results: KubeObject[]): void;
  reject(err: unknown): void;
}

/** An object as stored: its key, revision and JSON text. */
export interface StoredRow {
  namespace: string;
  name: string;
  resourceVersion: number;
  body: string;
}

/** A watch event as `eventsSince` reads it. */
type EventRow = { type: WatchEvent['type']; resource: string; resourceVersion: number; body: string };

/** Watch events whose parsed objects a process keeps for `sharedEventsSince` (a few seconds of churn). */
const PARSED_EVENTS = 8_192;

type CommitOutcome = { results: KubeObject[]; events: WatchEvent[] } | { error: unknown };

/** After the I/O of this turn of the event loop, so requests that arrived together can join a group. */
const nextTurn: (fn: () => void) => void = typeof setImmediate === 'function' ? (fn) => void setImmediate(fn) : (fn) => void setTimeout(fn, 0);

/** Errors thrown by the atomic write itself (nothing was written), as opposed to after it. */
const failedWrites = new WeakSet<object>();

/** The JSON text each committed event's object was stored as, so fan-out need not serialise it again. */
const storedJson = new WeakMap<WatchEvent, string>();

function withJson(event: WatchEvent, json: string): WatchEvent {
  storedJson.set(event, json);
  return event;
}

/**
 * An event of a commit as JSON text, the same as `JSON.stringify(event)`, with the object spliced in
 * from the text the commit stored (events this process did not commit are serialised as usual).
 */
export function eventJson(event: WatchEvent): string {
  const object = storedJson.get(event);
  if (object === undefined) return JSON.stringify(event);
  return `{"type":${JSON.stringify(event.type)},"resource":${JSON.stringify(event.resource)},"resourceVersion":${event.resourceVersion},"object":${object}}`;
}

/** Pods a commit adds (creates less deletes) and the first it creates. */
function addedPods(changes: ObjectChange[]): { count: number; first?: KubeObject } {
  let count = 0;
  let first: KubeObject | undefined;
  for (const c of changes) {
    if (c.resource !== 'pods') continue;
    if (c.type === 'ADDED') {
      count++;
      first ??= c.after;
    } else if (c.type === 'DELETED') count--;
  }
  return { count: first ? count : 0, first };
}

interface ClusterRow {
  resourceVersion: number;
  compactedRevision: number;
  timeScale: number;
  originMs: number;
  skewMs: number;
}

/**
 * The objects of every virtual cluster, with Kubernetes' revision semantics: each write bumps the
 * cluster's revision (like etcd), stamps it into the object, and appends a watch event in the same
 * atomic write. Concurrent writers to one cluster are serialized by a compare-and-swap on the
 * cluster's revision and retried, so any number of processes may write safely.
 */
export class ObjectStore {
  private listeners: CommitListener[] = [];
  private hooks: CommitHook[] = [];
  private writeHooks: RegisteredWriteHook[] = [];
  private podLimit?: PodLimit;
  /** Per cluster, the group of commits not started yet that new grouped commits join. */
  private openGroups = new Map<string, GroupedCommit[]>();
  /** The last commit queued per cluster in this process (see oneAtATime). */
  private committing = new Map<string, Promise<void>>();
  private prepared?: ObjectStatements;
  /** Recently read watch events' objects, shared by `sharedEventsSince` callers. */
  private parsedEvents = new Map<string, { length: number; object: KubeObject }>();
  /** Objects read per cluster since start: what a pass costs, whatever else the process is doing. */
  private reads = new Map<string, number>();

  constructor(
    /** The database under the store: metering statements that must commit with object writes are built on it. */
    readonly database: Database,
    private readonly clock: Clock,
  ) {}

  onCommit(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  afterCommit(hook: CommitHook): void {
    this.hooks.push(hook);
  }

  /**
   * Adds statements to every commit that touches `resources` (all when omitted), in the same atomic
   * write as the objects. A hook's failure fails the commit: its statements are part of the change.
   */
  addWriteHook(hook: WriteHook, resources?: Iterable<string>): void {
    this.writeHooks.push({ hook, resources: resources ? new Set(resources) : undefined });
  }

  /**
   * Bounds the pods each cluster may store. A commit that would go past the bound fails with
   * Forbidden; the count is exact because it is read after the revision the commit's
   * compare-and-swap checks, so no concurrent create can slip in between.
   */
  limitPods(limit: PodLimit): void {
    this.podLimit = limit;
  }

  /** The cluster's pod bound and the pods it stores now; undefined when it has no bound. */
  async podRoom(clusterId: string): Promise<PodRoom | undefined> {
    const limit = await this.podLimit?.(clusterId);
    if (limit === undefined) return undefined;
    const row = await this.statements.countObjects.get<{ n: number }>({ clusterId, resource: 'pods' });
    return { limit, used: row?.n ?? 0 };
  }

  /** How many objects have been read for this cluster so far (a counter; passes take differences). */
  objectsRead(clusterId: string): number {
    return this.reads.get(clusterId) ?? 0;
  }

  /** Counts objects read for a cluster (also by the object cache, which reads the log itself). */
  countReads(clusterId: string, n: number): void {
    if (this.reads.size > 10_000 && !this.reads.has(clusterId)) this.reads.clear();
    this.reads.set(clusterId, (this.reads.get(clusterId) ?? 0) + n);
  }

  /** Prepared on first use, when the schema is sure to exist. */
  private get statements(): ObjectStatements {
    return (this.prepared ??= objectStatements(this.database));
  }

  async get(clusterId: string, resource: string, namespace: string, name: string): Promise<KubeObject | undefined> {
    const row = await this.statements.getBody.get<{ body: string }>({ clusterId, resource, namespace, name });
    this.countReads(clusterId, 1);
    return row ? (JSON.parse(row.body) as KubeObject) : undefined;
  }

  async mustGet(clusterId: string, resource: string, namespace: string, name: string): Promise<KubeObject> {
    const obj = await this.get(clusterId, resource, namespace, name);
    if (!obj) throw new StoreError('NotFound', `${resource} "${name}" not found`, { resource, namespace, name });
    return obj;
  }

  async findByUid(clusterId: string, uid: string): Promise<{ resource: string; object: KubeObject } | undefined> {
    const row = await this.database.db
      .select({ resource: objects.resource, body: objects.body })
      .from(objects)
      .where(and(eq(objects.clusterId, clusterId), eq(objects.uid, uid)))
      .get();
    return row ? { resource: row.resource, object: JSON.parse(row.body) } : undefined;
  }

  /** Lists objects ordered by namespace and name. `continue` is an opaque cursor from a previous page. */
  async list(clusterId: string, resource: string, opts: ListOptions = {}): Promise<ListResult> {
    const rv = await this.currentRevision(clusterId);
    const rows = opts.continue ? await this.pageRows(clusterId, resource, opts) : await this.allRows(clusterId, resource, opts.namespace);
    this.countReads(clusterId, rows.length);
    const items: KubeObject[] = [];
    let next: string | undefined;
    for (const row of rows) {
      const obj = JSON.parse(row.body) as KubeObject;
      if (opts.filter && !opts.filter(obj)) continue;
      if (opts.limit && items.length === opts.limit) {
        const last = items[items.length - 1].metadata;
        next = encodeContinue({ namespace: last.namespace ?? '', name: last.name ?? '' });
        break;
      }
      items.push(obj);
    }
    return { items, resourceVersion: String(rv), continue: next };
  }

  /** Every row of a resource (in one namespace when given), by a prepared statement. */
  private allRows(clusterId: string, resource: string, namespace?: string): Promise<StoredRow[]> {
    return namespace
      ? this.statements.listInNamespace.all<StoredRow>({ clusterId, resource, namespace })
      : this.statements.listAll.all<StoredRow>({ clusterId, resource });
  }

  /** The rows after a continue token (and at most one past `limit` when nothing filters). */
  private async pageRows(clusterId: string, resource: string, opts: ListOptions): Promise<StoredRow[]> {
    const after = opts.continue ? decodeContinue(opts.continue) : undefined;
    const conds = [eq(objects.clusterId, clusterId), eq(objects.resource, resource)];
    if (opts.namespace) conds.push(eq(objects.namespace, opts.namespace));
    if (after) conds.push(sql`(${objects.namespace}, ${objects.name}) > (${after.namespace}, ${after.name})`);
    let query = this.database.db
      .select({ namespace: objects.namespace, name: objects.name, resourceVersion: objects.resourceVersion, body: objects.body })
      .from(objects)
      .where(and(...conds))
      .orderBy(asc(objects.namespace), asc(objects.name))
      .$dynamic();
    // Without a filter, one row past the page tells whether there is a next page.
    if (opts.limit && !opts.filter) query = query.limit(opts.limit + 1);
    return query.all();
  }

  /**
   * Like `list`, but each matching object is returned as its stored JSON text, so a large list can
   * be answered without parsing and re-serialising every object (the filter still sees parsed objects).
   */
  async listRaw(
    clusterId: string,
    resource: string,
    opts: ListOptions = {},
  ): Promise<{ bodies: string[]; rows: StoredRow[]; resourceVersion: string; continue?: string }> {
    const rv = await this.currentRevision(clusterId);
    const paged = opts.continue || (opts.limit && !opts.filter);
    const rows = paged ? await this.pageRows(clusterId, resource, opts) : await this.allRows(clusterId, resource, opts.namespace);
    this.countReads(clusterId, rows.length);
    const bodies: string[] = [];
    const matched: StoredRow[] = [];
    let last: { namespace: string; name: string } | undefined;
    let next: string | undefined;
    for (const row of rows) {
      if (opts.filter && !opts.filter(JSON.parse(row.body) as KubeObject)) continue;
      if (opts.limit && bodies.length === opts.limit) {
        next = encodeContinue(last!);
        break;
      }
      bodies.push(row.body);
      matched.push(row);
      last = { namespace: row.namespace, name: row.name };
    }
    return { bodies, rows: matched, resourceVersion: String(rv), continue: next };
  }

  async currentRevision(clusterId: string): Promise<number> {
    const row = await this.clusterRow(clusterId);
    return row.resourceVersion;
  }

  /** The cluster's own clock reading (honours its timeScale and skew). */
  async clusterNow(clusterId: string): Promise<number> {
    return clusterTime(this.clock.now(), await this.clusterRow(clusterId));
  }

  /** Watch events after `sinceRevision`, oldest first. Throws Gone when that revision was compacted. */
  async eventsSince(clusterId: string, sinceRevision: number, resource?: string, limit = 10_000): Promise<WatchEvent[]> {
    const rows = await this.eventRows(clusterId, sinceRevision, resource, limit);
    return rows.map((r) => ({ type: r.type, resource: r.resource, resourceVersion: r.resourceVersion, object: JSON.parse(r.body) }));
  }

  /**
   * Like `eventsSince`, but each event's object is parsed once in this process and the same object
   * is given to every caller: the informer-style caches of a worker (controllers, kubelet,
   * scheduler, endpoints) all read each pod change, and parsing it once instead of once each is most
   * of their cost. Callers must not change the objects (copy first).
   */
  async sharedEventsSince(clusterId: string, sinceRevision: number, resource?: string, limit = 10_000): Promise<WatchEvent[]> {
    const rows = await this.eventRows(clusterId, sinceRevision, resource, limit);
    return rows.map((r) => ({ type: r.type, resource: r.resource, resourceVersion: r.resourceVersion, object: this.parsedEvent(clusterId, r) }));
  }

  private async eventRows(clusterId: string, sinceRevision: number, resource: string | undefined, limit: number): Promise<EventRow[]> {
    const row = await this.clusterRow(clusterId);
    if (sinceRevision < row.compactedRevision) {
      throw new StoreError('Gone', `too old resource version: ${sinceRevision} (${row.compactedRevision})`);
    }
    const rows = resource
      ? await this.statements.resourceEventsSince.all<EventRow>({ clusterId, resource, since: sinceRevision, limit })
      : await this.statements.eventsSince.all<EventRow>({ clusterId, since: sinceRevision, limit });
    this.countReads(clusterId, rows.length);
    return rows;
  }

  /** A watch event's object, parsed at most once while it is recent: (cluster, revision) names one event for good. */
  private parsedEvent(clusterId: string, row: EventRow): KubeObject {
    const key = `${clusterId}\u0000${row.resourceVersion}`;
    const hit = this.parsedEvents.get(key);
    if (hit && hit.length === row.body.length) return hit.object;
    const object = JSON.parse(row.body) as KubeObject;
    this.parsedEvents.set(key, { length: row.body.length, object });
    // Oldest first out: the readers of one change read it within a pass or two of each other.
    if (this.parsedEvents.size > PARSED_EVENTS) this.parsedEvents.delete(this.parsedEvents.keys().next().value!);
    return object;
  }

  /** Drops watch events at or below `revision`; watches from older versions then get 410 Gone. */
  async compact(clusterId: string, revision: number): Promise<void> {
    await this.database.atomicWrite([
      { query: this.database.db.delete(watchEvents).where(and(eq(watchEvents.clusterId, clusterId), sql`${watchEvents.resourceVersion} <= ${revision}`)) },
      {
        query: this.database.db
          .update(clusters)
          .set({ compactedRevision: revision })
          .where(and(eq(clusters.id, clusterId), sql`${clusters.compactedRevision} < ${revision}`)),
      },
    ]);
  }

  /** Removes every object and watch event of a cluster (cluster deletion). */
  async purge(clusterId: string): Promise<void> {
    await this.database.atomicWrite([
      { query: this.database.db.delete(objects).where(eq(objects.clusterId, clusterId)) },
      { query: this.database.db.delete(watchEvents).where(eq(watchEvents.clusterId, clusterId)) },
    ]);
  }

  /** The object as stored: the one written (so of its kind) with the metadata the store stamps. */
  async create<T extends KubeObject>(clusterId: string, resource: string, object: T, options?: CommitOptions): Promise<Stamped<T>> {
    return (await this.commit(clusterId, [{ op: 'create', resource, object }], options))[0] as Stamped<T>;
  }

  async update<T extends KubeObject>(clusterId: string, resource: string, object: T, options?: CommitOptions): Promise<Stamped<T>> {
    return (await this.commit(clusterId, [{ op: 'update', resource, object }], options))[0] as Stamped<T>;
  }

  async delete(clusterId: string, resource: string, namespace: string, name: string, options?: CommitOptions): Promise<KubeObject> {
    return (await this.commit(clusterId, [{ op: 'delete', resource, namespace, name }], options))[0];
  }

  /**
   * Applies all ops atomically and returns the resulting objects (for deletes, the last state).
   * Each op gets its own revision, in order, like separate etcd writes committed together.
   * With `group`, the commit may share one atomic write with other grouped commits of the cluster
   * that arrive meanwhile (see groupCommit); it still succeeds or fails on its own.
   */
  async commit(clusterId: string, ops: WriteOp[], options: CommitOptions = {}): Promise<KubeObject[]> {
    if (options.group) return this.groupCommit(clusterId, ops, options);
    for (let attempt = 0; ; attempt++) {
      try {
        const [outcome] = await this.oneAtATime(clusterId, () => this.tryCommit(clusterId, [{ ops, options }]));
        if ('error' in outcome) throw outcome.error;
        if (this.hooks.length) await Promise.allSettled(this.hooks.map((h) => h(clusterId, outcome.events)));
        return outcome.results;
      } catch (err) {
        if (!(err instanceof WriteConflictError) || attempt >= MAX_CAS_RETRIES) throw err;
        // Another writer bumped the cluster revision between our read and write: read again.
        await new Promise((r) => setTimeout(r, Math.min(20, attempt) * Math.random()));
      }
    }
  }

  /**
   * Group commit: grouped commits of one cluster that arrive while the previous write is queued or
   * running, or in the same turn of the event loop, go into one atomic write (as the scheduler's
   * batch writer does), so a burst of small creates pays for one transaction instead of one each.
   * Each commit is still checked on its own (a name taken, a stale quota, the pod bound) and gets
   * its own result or error; what the write holds is exactly the commits that passed. If the
   * write itself fails for another reason than a lost compare-and-swap, each commit is retried alone.
   */
  private groupCommit(clusterId: string, ops: WriteOp[], options: CommitOptions): Promise<KubeObject[]> {
    return new Promise((resolve, reject) => {
      const request: GroupedCommit = { ops, options, resolve, reject };
      const open = this.openGroups.get(clusterId);
      if (open && open.length < MAX_GROUP) {
        open.push(request);
        return;
      }
      const group = [request];
      this.openGroups.set(clusterId, group);
      nextTurn(() => void this.runGroup(clusterId, group));
    });
  }

  private async runGroup(clusterId: string, group: GroupedCommit[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const outcomes = await this.oneAtATime(clusterId, () => {
          // From here on the group is closed: later commits start the next one.
          if (this.openGroups.get(clusterId) === group) this.openGroups.delete(clusterId);
          return this.tryCommit(clusterId, group);
        });
        const events = outcomes.flatMap((o) => ('events' in o ? o.events : []));
        if (this.hooks.length && events.length) await Promise.allSettled(this.hooks.map((h) => h(clusterId, events)));
        outcomes.forEach((o, i) => ('error' in o ? group[i].reject(o.error) : group[i].resolve(o.results)));
        return;
      } catch (err) {
        if (err instanceof WriteConflictError && attempt < MAX_CAS_RETRIES) {
          await new Promise((r) => setTimeout(r, Math.min(20, attempt) * Math.random()));
          continue;
        }
        // Only a write that did not happen may be tried again commit by commit.
        if (group.length === 1 || err instanceof WriteConflictError || !failedWrites.has(err as object)) {
          for (const g of group) g.reject(err);
          return;
        }
        // One commit's statements broke the write (say a row another process inserted): alone, each
        // commit gets its own answer.
        await Promise.all(group.map((g) => this.commit(clusterId, g.ops, { ...g.options, group: false }).then(g.resolve, g.reject)));
        return;
      }
    }
  }

  /**
   * Computes the commits in order against the cluster's current state (each sees the ones before it)
   * and writes those that pass in one atomic write behind the revision compare-and-swap. A commit
   * that fails its checks gets its error and leaves nothing in the write.
   */
  private async tryCommit(clusterId: string, commits: Pick<GroupedCommit, 'ops' | 'options'>[]): Promise<CommitOutcome[]> {
    const cluster = await this.clusterRow(clusterId);
    const nowMs = clusterTime(this.clock.now(), cluster);
    const now = isoTime(nowMs);
    let rv = cluster.resourceVersion;
    let passed = 0;
    const statements: WriteStatement[] = [];
    const events: WatchEvent[] = [];
    const outcomes: CommitOutcome[] = [];
    // Objects written by the commits accepted so far, so later ones see them.
    const written = new Map<string, KubeObject | null>();
    let pods: { room: PodRoom | undefined; added: number } | undefined;
    for (const { ops, options } of commits) {
      try {
        const plan = await this.planOps(clusterId, ops, rv, now, written);
        const added = addedPods(plan.changes);
        if (this.podLimit && added.count > 0) {
          // The bound is read after the revision the compare-and-swap checks, so it is exact.
          pods ??= { room: await this.podRoom(clusterId), added: 0 };
          const room = pods.room && { limit: pods.room.limit, used: pods.room.used + pods.added };
          if (room && room.used + added.count > room.limit) {
            throw new StoreError('Forbidden', podLimitMessage(added.first!, added.count, room), {
              resource: 'pods',
              namespace: added.first!.metadata.namespace,
              name: added.first!.metadata.name,
            });
          }
        }
        const extra = this.writeHooks.length ? await this.hookStatements(clusterId, plan.changes, nowMs) : [];
        if (options.extra) extra.push(...options.extra(nowMs));
        if (pods) pods.added += added.count;
        for (const [k, v] of plan.written) written.set(k, v);
        rv = plan.rv;
        passed++;
        statements.push(...plan.statements, ...extra);
        events.push(...plan.events);
        outcomes.push({ results: plan.results, events: plan.events });
      } catch (error) {
        outcomes.push({ error });
      }
    }
    if (passed === 0) return outcomes;
    // The compare-and-swap that serializes writers of one cluster: fails if anyone committed since our read.
    statements.unshift(this.statements.bumpRevision.write({ id: clusterId, from: cluster.resourceVersion, to: rv }, 1));
    try {
      await this.database.atomicWrite(statements);
    } catch (err) {
      if (err instanceof Object) failedWrites.add(err);
      throw err;
    }
    for (const l of this.listeners) l(clusterId, events);
    return outcomes;
  }

  /** The statements, events and results of one commit's ops, starting after revision `rv`. */
  private async planOps(clusterId: string, ops: WriteOp[], rv: number, now: string, before: Map<string, KubeObject | null>) {
    const stmts = this.statements;
    const statements: WriteStatement[] = [];
    const events: WatchEvent[] = [];
    const results: KubeObject[] = [];
    const changes: ObjectChange[] = [];
    // Objects touched earlier in this same commit (or by commits before it in the same write).
    const written = new Map<string, KubeObject | null>();
    const current = async (resource: string, ns: string, name: string) => {
      const k = `${resource}/${ns}/${name}`;
      if (written.has(k)) return written.get(k) ?? undefined;
      if (before.has(k)) return before.get(k) ?? undefined;
      return this.get(clusterId, resource, ns, name);
    };

    for (const op of ops) {
      rv += 1;
      if (op.op === 'create') {
        const ns = op.object.metadata.namespace ?? '';
        const name = op.object.metadata.name!;
        if (await current(op.resource, ns, name)) {
          throw new StoreError('AlreadyExists', `${op.resource} "${name}" already exists`, { resource: op.resource, namespace: ns, name });
        }
        const metadata = { ...op.object.metadata };
        metadata.uid ??= crypto.randomUUID();
        metadata.creationTimestamp ??= now;
        if (hasGeneration(op.resource)) metadata.generation ??= 1;
        metadata.resourceVersion = String(rv);
        const { body, obj } = stored(op.object, metadata);
        const key = { clusterId, resource: op.resource, namespace: ns, name };
        statements.push(stmts.insertObject.write({ ...key, uid: metadata.uid, resourceVersion: rv, body }));
        statements.push(stmts.insertEvent.write({ ...key, resourceVersion: rv, type: 'ADDED', body }));
        written.set(`${op.resource}/${ns}/${name}`, obj);
        events.push(withJson({ type: 'ADDED', resource: op.resource, resourceVersion: rv, object: obj }, body));
        changes.push({ resource: op.resource, type: 'ADDED', after: obj });
        results.push(obj);
      } else if (op.op === 'update') {
        const ns = op.object.metadata.namespace ?? '';
        const name = op.object.metadata.name!;
        const old = await current(op.resource, ns, name);
        if (!old) throw new StoreError('NotFound', `${op.resource} "${name}" not found`, { resource: op.resource, namespace: ns, name });
        const wanted = op.object.metadata.resourceVersion;
        if (wanted && wanted !== old.metadata.resourceVersion) throw conflict(op.resource, name);
        const metadata = { ...op.object.metadata };
        metadata.uid = old.metadata.uid;
        metadata.creationTimestamp = old.metadata.creationTimestamp;
        if (hasGeneration(op.resource)) metadata.generation = specChanged(old, op.object) ? (old.metadata.generation ?? 1) + 1 : (old.metadata.generation ?? 1);
        else delete metadata.generation;
        metadata.resourceVersion = String(rv);
        const { body, obj } = stored(op.object, metadata);
        const key = { clusterId, resource: op.resource, namespace: ns, name };
        statements.push(stmts.updateObject.write({ ...key, resourceVersion: rv, body }, 1));
        statements.push(stmts.insertEvent.write({ ...key, resourceVersion: rv, type: 'MODIFIED', body }));
        written.set(`${op.resource}/${ns}/${name}`, obj);
        events.push(withJson({ type: 'MODIFIED', resource: op.resource, resourceVersion: rv, object: obj }, body));
        changes.push({ resource: op.resource, type: 'MODIFIED', before: old, after: obj });
        results.push(obj);
      } else {
        const old = await current(op.resource, op.namespace, op.name);
        if (!old) throw new StoreError('NotFound', `${op.resource} "${op.name}" not found`, { resource: op.resource, namespace: op.namespace, name: op.name });
        if (op.resourceVersion && op.resourceVersion !== old.metadata.resourceVersion) throw conflict(op.resource, op.name);
        if (op.uid && op.uid !== old.metadata.uid) throw conflict(op.resource, op.name);
        const { body, obj } = stored(old, { ...old.metadata, resourceVersion: String(rv) });
        const key = { clusterId, resource: op.resource, namespace: op.namespace, name: op.name };
        statements.push(stmts.deleteObject.write(key, 1));
        statements.push(stmts.insertEvent.write({ ...key, resourceVersion: rv, type: 'DELETED', body }));
        written.set(`${op.resource}/${op.namespace}/${op.name}`, null);
        events.push(withJson({ type: 'DELETED', resource: op.resource, resourceVersion: rv, object: obj }, body));
        changes.push({ resource: op.resource, type: 'DELETED', before: old });
        results.push(obj);
      }
    }
    return { statements, events, results, changes, written, rv };
  }

  /**
   * Runs this process's commits to one cluster one at a time. The compare-and-swap alone would do
   * for correctness, but each commit awaits its reads, so commits of one process interleave: a
   * stream of small commits (Events, status updates) would make a 500-object commit lose the race
   * on every try. Other processes are still serialized by the compare-and-swap.
   */
  private async oneAtATime<T>(clusterId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.committing.get(clusterId);
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = before ? before.then(() => mine) : mine;
    this.committing.set(clusterId, tail);
    try {
      if (before) await before;
      return await fn();
    } finally {
      release();
      if (this.committing.get(clusterId) === tail) this.committing.delete(clusterId);
    }
  }

  private async hookStatements(clusterId: string, changes: ObjectChange[], nowMs: number): Promise<WriteStatement[]> {
    const out: WriteStatement[] = [];
    for (const { hook, resources } of this.writeHooks) {
      // Most commits (configmaps, events, leases...) concern no hook: skip without calling it.
      const seen = resources ? changes.filter((c) => resources.has(c.resource)) : changes;
      if (seen.length) out.push(...(await hook(clusterId, seen, nowMs)));
    }
    return out;
  }

  private async clusterRow(clusterId: string): Promise<ClusterRow> {
    const row = await this.statements.clusterRow.get<ClusterRow>({ id: clusterId });
    if (!row) throw new StoreError('NotFound', `cluster "${clusterId}" not found`);
    return row;
  }
}

/**
 * `object` with `metadata` in place of its own, as the JSON text to store and as a fresh object
 * parsed from that text: a copy that shares nothing with the caller's object and equals what a
 * later read returns (cheaper than structuredClone before stringifying).
 */
function stored(object: KubeObject, metadata: KubeObject['metadata']): { body: string; obj: KubeObject } {
  const body = JSON.stringify({ ...object, metadata });
  return { body, obj: JSON.parse(body) as KubeObject };
}

function conflict(resource: string, name: string): StoreError {
  return new StoreError(
    'Conflict',
    `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { resource, name },
  );
}

/** generation counts changes of everything but metadata and status (Kubernetes' rule for spec). */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return JSON.stringify(rest);
  };
  return strip(a) !== strip(b);
}

export function encodeContinue(k: { namespace: string; name: string }): string {
  return btoa(JSON.stringify(k)).replace(/=+$/, '');
}

export function decodeContinue(token: string): { namespace: string; name: string } {
  try {
    const k = JSON.parse(atob(token));
    if (typeof k.namespace === 'string' && typeof k.name === 'string') return k;
  } catch {
    /* fall through */
  }
  throw new StoreError(
    'Gone',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
  );
}
