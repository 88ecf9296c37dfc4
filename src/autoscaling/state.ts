import { and, eq, inArray } from 'drizzle-orm';
import { chunk } from '../lib/chunk.ts';
import { MAX_LIST_VALUES, type Database, type WriteStatement } from '../store/db.ts';
import { autoscalingState } from '../store/schema/index.ts';

export type StateComponent = 'hpa' | 'vpa' | 'cluster-autoscaler';

/** Every remembered document of one component of a cluster, by key. */
export async function loadStates<T>(database: Database, clusterId: string, component: StateComponent): Promise<Map<string, T>> {
  const rows = await database.db
    .select({ key: autoscalingState.key, body: autoscalingState.body })
    .from(autoscalingState)
    .where(and(eq(autoscalingState.clusterId, clusterId), eq(autoscalingState.component, component)))
    .all();
  return new Map(rows.map((r) => [r.key, JSON.parse(r.body) as T]));
}

export async function loadState<T>(database: Database, clusterId: string, component: StateComponent, key: string): Promise<T | undefined> {
  const row = await database.db
    .select({ body: autoscalingState.body })
    .from(autoscalingState)
    .where(and(eq(autoscalingState.clusterId, clusterId), eq(autoscalingState.component, component), eq(autoscalingState.key, key)))
    .get();
  return row ? (JSON.parse(row.body) as T) : undefined;
}

export function saveStateStatement(
  database: Database,
  clusterId: string,
  component: StateComponent,
  key: string,
  body: unknown,
  nowMs: number,
): WriteStatement {
  const text = JSON.stringify(body);
  return {
    query: database.db
      .insert(autoscalingState)
      .values({ clusterId, component, key, body: text, updatedAt: nowMs })
      .onConflictDoUpdate({ target: [autoscalingState.clusterId, autoscalingState.component, autoscalingState.key], set: { body: text, updatedAt: nowMs } }),
  };
}

/** One DELETE per slice of keys, so no statement outgrows the bound-parameter limit; send them in
 * the same atomic write to forget all the keys together. */
export function deleteStatesStatements(database: Database, clusterId: string, component: StateComponent, keys: string[]): WriteStatement[] {
  return chunk(keys, MAX_LIST_VALUES).map((list) => ({
    query: database.db
      .delete(autoscalingState)
      .where(and(eq(autoscalingState.clusterId, clusterId), eq(autoscalingState.component, component), inArray(autoscalingState.key, list))),
  }));
}

/**
 * The state documents of one component of a cluster, as its controller uses them: read all at the
 * start of a pass, then changes queued and committed together in one atomic write at its end.
 */
export interface StateTable<T> {
  load(): Promise<Map<string, T>>;
  save(key: string, body: T, nowMs: number): void;
  forget(keys: string[]): void;
  /** Writes what was queued (nothing when nothing was); returns how many statements. */
  commit(): Promise<number>;
}

export function stateTable<T>(store: { database: Database }, clusterId: string, component: StateComponent): StateTable<T> {
  const { database } = store;
  let writes: WriteStatement[] = [];
  return {
    load: () => loadStates<T>(database, clusterId, component),
    save: (key, body, nowMs) => void writes.push(saveStateStatement(database, clusterId, component, key, body, nowMs)),
    forget: (keys) => void (keys.length && writes.push(...deleteStatesStatements(database, clusterId, component, keys))),
    async commit() {
      const queued = writes;
      writes = [];
      if (queued.length) await database.atomicWrite(queued);
      return queued.length;
    },
  };
}
