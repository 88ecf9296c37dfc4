import type { ReconcileContext } from '../controllers/runtime.ts';
import type { KubeObject } from '../kube/types.ts';
import { StoreError } from '../store/errors.ts';
import type { CommitOptions, WriteOp } from '../store/objects.ts';
import { STORAGE_CLASS_RESOURCE } from './classes.ts';

/** One pass's view of a cluster's storage, plus a bounded, conflict-tolerant way to write. */
export interface StorageState {
  ctx: ReconcileContext;
  now: number;
  claims: KubeObject[];
  volumes: KubeObject[];
  classes: Map<string, KubeObject>;
  nodes: Map<string, KubeObject>;
  /** Pods that mount claims, loaded only when a step needs them. */
  claimPods(): Promise<KubeObject[]>;
  /** Commits one change; false when it lost a race (the next pass retries) or the pass is full. */
  write(ops: WriteOp[], options?: CommitOptions): Promise<boolean>;
  /** Some writes were skipped: run again. */
  incomplete: boolean;
}

const MAX_COMMITS_PER_PASS = 300;

export async function loadStorageState(ctx: ReconcileContext): Promise<StorageState> {
  const { store, clusterId } = ctx;
  const [claims, volumes] = await Promise.all([store.list(clusterId, 'persistentvolumeclaims'), store.list(clusterId, 'persistentvolumes')]);
  // Most passes (woken by pod changes) find no storage at all: skip the other reads then.
  const empty = claims.items.length === 0 && volumes.items.length === 0;
  const [classes, nodes] = empty
    ? [{ items: [] as KubeObject[] }, { items: [] as KubeObject[] }]
    : await Promise.all([store.list(clusterId, STORAGE_CLASS_RESOURCE), store.list(clusterId, 'nodes')]);
  let pods: Promise<KubeObject[]> | undefined;
  let commits = 0;
  const state: StorageState = {
    ctx,
    now: ctx.now(),
    claims: claims.items,
    volumes: volumes.items,
    classes: new Map(classes.items.map((c) => [c.metadata.name!, c])),
    nodes: new Map(nodes.items.map((n) => [n.metadata.name!, n])),
    claimPods: () =>
      (pods ??= store.list(clusterId, 'pods', { filter: (p) => (p.spec?.volumes ?? []).some((v: { persistentVolumeClaim?: unknown }) => v.persistentVolumeClaim) }).then((r) => r.items)),
    incomplete: false,
    async write(ops, options) {
      if (commits >= MAX_COMMITS_PER_PASS) {
        state.incomplete = true;
        return false;
      }
      commits++;
      try {
        await store.commit(clusterId, ops, options);
        return true;
      } catch (err) {
        if (err instanceof StoreError && ['Conflict', 'NotFound', 'AlreadyExists'].includes(err.reason)) {
          state.incomplete = true;
          return false;
        }
        throw err;
      }
    },
  };
  return state;
}

export function claimKey(ns: string | undefined, name: string): string {
  return `${ns ?? 'default'}/${name}`;
}
