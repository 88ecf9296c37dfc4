import { instanceTypesOf, PROVIDERS, findInstanceType, type InstanceType, type Provider } from '../catalog.ts';

/** Finds a recorded instance type in whichever provider's catalog has it (names do not collide). */
export function lookupAnyProvider(name: string): { provider: Provider; type: InstanceType } | undefined {
  for (const provider of PROVIDERS) {
    const type = findInstanceType(provider, name);
    if (type) return { provider, type };
  }
  return undefined;
}

function referencePrice(t: InstanceType): number {
  return Object.values(t.hourlyMicroUsd)[0] ?? Number.MAX_SAFE_INTEGER;
}

/**
 * The target provider's type of the same shape: equal vCPU and memory in the same family (m5.large ↔
 * e2-standard-2 ↔ Standard_D2s_v3), else equal shape in the general family, else any equal shape, else
 * the smallest type that covers both; ties go to the cheaper, then the first listed.
 */
export function sameShapeType(target: Provider, source: Pick<InstanceType, 'vcpu' | 'memoryGiB' | 'family'>): InstanceType {
  const types = instanceTypesOf(target);
  const cheapest = (list: InstanceType[]) => list.reduce((best, t) => (referencePrice(t) < referencePrice(best) ? t : best));
  const exact = types.filter((t) => t.vcpu === source.vcpu && t.memoryGiB === source.memoryGiB);
  for (const pick of [exact.filter((t) => t.family === source.family), exact.filter((t) => t.family === 'general'), exact]) {
    if (pick.length > 0) return cheapest(pick);
  }
  const covering = types.filter((t) => t.vcpu >= source.vcpu && t.memoryGiB >= source.memoryGiB);
  if (covering.length > 0) {
    const smallest = Math.min(...covering.map((t) => t.vcpu * 8 + t.memoryGiB));
    return cheapest(covering.filter((t) => t.vcpu * 8 + t.memoryGiB === smallest));
  }
  return types.reduce((a, b) => (a.vcpu * 8 + a.memoryGiB >= b.vcpu * 8 + b.memoryGiB ? a : b));
}

/** A mapper for `PricingContext.nodeType`: recorded type name → target type name, remembering each
 * mapping so the result can say which type was used. Unknown names pass through (and price as unknown). */
export function nodeTypeMapper(target: Provider): { map: (recorded: string) => string; used: Map<string, string> } {
  const used = new Map<string, string>();
  return {
    used,
    map(recorded) {
      const found = lookupAnyProvider(recorded);
      const priced = !found ? recorded : found.provider === target ? recorded : sameShapeType(target, found.type).name;
      used.set(recorded, priced);
      return priced;
    },
  };
}

/** The nearest region of another provider, by geography; the target's first region otherwise. */
const geography: Record<string, string> = {
  'us-east-1': 'us',
  'us-west-2': 'us',
  'us-central1': 'us',
  eastus: 'us',
  'eu-west-1': 'eu',
  'europe-west1': 'eu',
  westeurope: 'eu',
};
const regionByGeography: Record<Provider, Record<string, string>> = {
  eks: { us: 'us-east-1', eu: 'eu-west-1' },
  gke: { us: 'us-central1', eu: 'europe-west1' },
  aks: { us: 'eastus', eu: 'westeurope' },
};

export function comparableRegion(target: Provider, source: { provider: Provider; region: string }): string {
  if (source.provider === target) return source.region;
  const geo = geography[source.region];
  return (geo && regionByGeography[target][geo]) ?? Object.values(regionByGeography[target])[0];
}
