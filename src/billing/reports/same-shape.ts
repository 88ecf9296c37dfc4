import { catalogOf, instanceTypesOf, PROVIDERS, findInstanceType, regionsOf, type InstanceType, type Provider } from '../catalog.ts';

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
 * The target provider's type of the same shape and kind of CPU: equal vCPU and memory in the same
 * family (m5.large ↔ e2-standard-2 ↔ Standard_D2s_v3), else equal shape in the general family, else any equal shape, else
 * the smallest type that covers both; ties go to the cheaper, then the first listed.
 */
export function sameShapeType(target: Provider, source: Pick<InstanceType, 'vcpu' | 'memoryGiB' | 'family' | 'cpu'>): InstanceType {
  const all = instanceTypesOf(target);
  // Same kind of CPU first (Intel for Intel, AMD for AMD, Arm for Arm), then any x86.
  const cpu = source.cpu ?? 'intel';
  const sameCpu = all.filter((t) => (t.cpu ?? 'intel') === cpu);
  const x86 = all.filter((t) => t.cpu !== 'arm');
  const types = sameCpu.length > 0 ? sameCpu : x86.length > 0 ? x86 : all;
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

/** The nearest region of another provider: the first region of the target in the same geography
 * (us, eu, ap…) that has list prices of its own, else any there, else the target's first region. */
export function comparableRegion(target: Provider, source: { provider: Provider; region: string }): string {
  if (source.provider === target) return source.region;
  const geo = catalogOf(source.provider).geography?.[source.region];
  const targetCatalog = catalogOf(target);
  const same = regionsOf(target).filter((r) => geo !== undefined && targetCatalog.geography?.[r] === geo);
  const priced = same.find((r) => targetCatalog.instanceTypes.some((t) => t.priceSources?.[r]));
  return priced ?? same[0] ?? regionsOf(target)[0];
}
