import type { ResourceDef } from './types.ts';
import { coreResources } from './core.ts';
import { appsResources, batchResources } from './apps.ts';
import { autoscalingResources, otherResources, reviewResources } from './extensions.ts';
import { rbacResources } from './rbac.ts';
import { legacyCoreResources } from './legacy.ts';
import { networkingResources } from './networking.ts';
import { crdResource } from '../crd/definition.ts';

export interface GroupVersions {
  /** '' is the legacy core group served under /api. */
  name: string;
  /** Preferred first. */
  versions: string[];
}

/** Lookups over the served resources; the order of `all` is discovery's order. */
export class Registry {
  private readonly byPath = new Map<string, ResourceDef>();
  private readonly storageDefs = new Map<string, ResourceDef>();

  constructor(readonly all: ResourceDef[]) {
    for (const def of all) {
      this.byPath.set(`${def.group}/${def.version}/${def.plural}`, def);
      // The version without a converter is the one whose shape is stored.
      if (!def.convert && !def.virtual && !this.storageDefs.has(def.storage)) this.storageDefs.set(def.storage, def);
    }
  }

  find(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** The definition of the stored shape of a storage key (e.g. autoscaling/v2 for HPAs). */
  storageDef(storage: string): ResourceDef | undefined {
    return this.storageDefs.get(storage);
  }

  inGroupVersion(group: string, version: string): ResourceDef[] {
    return this.all.filter((d) => d.group === group && d.version === version);
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.all.some((d) => d.group === group && d.version === version);
  }

  groups(): GroupVersions[] {
    const out: GroupVersions[] = [];
    for (const d of this.all) {
      let g = out.find((x) => x.name === d.group);
      if (!g) out.push((g = { name: d.group, versions: [] }));
      if (!g.versions.includes(d.version)) g.versions.push(d.version);
    }
    return out;
  }

  with(extra: ResourceDef[]): Registry {
    return new Registry([...this.all, ...extra]);
  }
}

export const builtinResources: ResourceDef[] = [
  ...coreResources,
  ...legacyCoreResources,
  ...appsResources,
  ...otherResources.filter((d) => d.group === 'events.k8s.io'),
  ...reviewResources,
  ...autoscalingResources.filter((d) => d.group === 'autoscaling'),
  ...batchResources,
  ...networkingResources,
  ...otherResources.filter((d) => d.group !== 'events.k8s.io'),
  ...autoscalingResources.filter((d) => d.group !== 'autoscaling'),
  ...rbacResources,
  crdResource,
];

export const defaultRegistry = new Registry(builtinResources);
