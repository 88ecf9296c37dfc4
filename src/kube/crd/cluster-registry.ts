import type { ObjectStore } from '../../store/objects.ts';
import { StoreError } from '../../store/errors.ts';
import type { KubeObject } from '../types.ts';
import type { Registry } from '../registry/index.ts';
import type { ResourceDef } from '../registry/types.ts';
import { CRD_RESOURCE, crdResources } from './custom-resources.ts';

/** Clusters whose registry a process keeps; the least recently built goes first. */
const MAX_CACHED = 1000;

interface Cached {
  /** The cluster revision up to which no CRD change is missing from `registry`. */
  revision: number;
  registry: Registry;
}

/**
 * The resources one cluster serves: the built-in ones plus those of its established CRDs. Each
 * request checks the cluster's revision; when it moved since the registry was built, the watch log
 * tells whether a CRD changed in between (only then are the CRDs read again). So a CRD written
 * through any process is served by every process from the next request on, and a request
 * usually costs one small query.
 */
export class ClusterRegistries {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly base: Registry) {}

  /** A CRD's resources, unless they would shadow a built-in resource or its storage. */
  private served(crd: KubeObject): ResourceDef[] {
    try {
      const defs = crdResources(crd).filter((d) => !this.base.find(d.group, d.version, d.plural) && !this.base.storageDef(d.storage));
      // While its objects are being deleted, a terminating CRD takes no new ones.
      if (crd.metadata.deletionTimestamp) return defs.map((d) => ({ ...d, verbs: d.verbs.filter((v) => v !== 'create') }));
      return defs;
    } catch {
      return [];
    }
  }

  private async crdChangedSince(store: ObjectStore, clusterId: string, revision: number): Promise<boolean> {
    try {
      return (await store.eventsSince(clusterId, revision, CRD_RESOURCE, 1)).length > 0;
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'Gone') return true;
      throw err;
    }
  }

  async forCluster(store: ObjectStore, clusterId: string): Promise<Registry> {
    const revision = await store.currentRevision(clusterId);
    const hit = this.cache.get(clusterId);
    if (hit && hit.revision >= revision) return hit.registry;
    if (hit && !(await this.crdChangedSince(store, clusterId, hit.revision))) {
      hit.revision = revision;
      return hit.registry;
    }
    const crds = (await store.list(clusterId, CRD_RESOURCE)).items;
    const registry = crds.length ? this.base.with(crds.flatMap((crd) => this.served(crd))) : this.base;
    this.cache.delete(clusterId);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(clusterId, { revision, registry });
    return registry;
  }
}
