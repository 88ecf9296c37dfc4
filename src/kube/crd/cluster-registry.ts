import type { ObjectStore } from '../../store/objects.ts';
import type { KubeObject } from '../types.ts';
import type { Registry } from '../registry/index.ts';
import type { ResourceDef } from '../registry/types.ts';
import { CRD_RESOURCE, crdResources } from './custom-resources.ts';

/** Registries built per cluster, reused while the cluster's CRDs stay byte-for-byte the same. */
const MAX_CACHED = 1000;

/**
 * The resources one cluster serves: the built-in ones plus those of its established CRDs. The CRDs
 * are read on every request (one indexed query, usually empty), so a CRD created through any
 * process is served by every process from the next request on; the registry built from them is
 * cached while their stored text is unchanged.
 */
export class ClusterRegistries {
  private readonly cache = new Map<string, { key: string; registry: Registry }>();

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

  async forCluster(store: ObjectStore, clusterId: string): Promise<Registry> {
    const { bodies } = await store.listRaw(clusterId, CRD_RESOURCE);
    if (bodies.length === 0) return this.base;
    const key = bodies.join('\n');
    const hit = this.cache.get(clusterId);
    if (hit && hit.key === key) return hit.registry;
    const crds = bodies.map((b) => JSON.parse(b) as KubeObject);
    const registry = this.base.with(crds.flatMap((crd) => this.served(crd)));
    this.cache.delete(clusterId);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(clusterId, { key, registry });
    return registry;
  }
}
