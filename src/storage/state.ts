import type { Pass } from '../controllers/shared/pass.ts';
import type { KubeObject } from '../kube/types.ts';
import type { CommitOptions, WriteOp } from '../store/objects.ts';
import { STORAGE_CLASS_RESOURCE } from './classes.ts';

/** One pass's view of a cluster's storage, plus a bounded, conflict-tolerant way to write. */
export interface StorageState {
  pass: Pass;
  now: number;
  claims: KubeObject[];
  volumes: KubeObject[];
  classes: Map<string, KubeObject>;
  nodes: Map<string, KubeObject>;
  /** Pods that mount claims, loaded only when a step needs them. */
  claimPods(): Promise<KubeObject[]>;
  /** Commits one change; false when it lost a race or the pass spent its budget (the pass then runs again). */
  write(ops: WriteOp[], options?: CommitOptions): Promise<boolean>;
}

export async function loadStorageState(pass: Pass): Promise<StorageState> {
  const { store, clusterId } = pass;
  const [claims, volumes] = await Promise.all([store.list(clusterId, 'persistentvolumeclaims'), store.list(clusterId, 'persistentvolumes')]);
  // Most passes (woken by pod changes) find no storage at all: skip the other reads then.
  const empty = claims.items.length === 0 && volumes.items.length === 0;
  const [classes, nodes] = empty
    ? [{ items: [] as KubeObject[] }, { items: [] as KubeObject[] }]
    : await Promise.all([store.list(clusterId, STORAGE_CLASS_RESOURCE), store.list(clusterId, 'nodes')]);
  let pods: Promise<KubeObject[]> | undefined;
  return {
    pass,
    now: pass.nowMs,
    claims: claims.items,
    volumes: volumes.items,
    classes: new Map(classes.items.map((c) => [c.metadata.name!, c])),
    nodes: new Map(nodes.items.map((n) => [n.metadata.name!, n])),
    claimPods: () =>
      (pods ??= store
        .list(clusterId, 'pods', { filter: (p) => (p.spec?.volumes ?? []).some((v: { persistentVolumeClaim?: unknown }) => v.persistentVolumeClaim) })
        .then((r) => r.items)),
    async write(ops, options) {
      if (pass.exhausted) return false;
      return (await pass.attempt(() => store.commit(clusterId, ops, options), ops.length)) !== undefined;
    },
  };
}

export function claimKey(ns: string | undefined, name: string): string {
  return `${ns ?? 'default'}/${name}`;
}
