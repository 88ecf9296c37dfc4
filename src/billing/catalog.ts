import { aksCatalog } from './catalog/aks.ts';
import { eksCatalog } from './catalog/eks.ts';
import { gkeCatalog } from './catalog/gke.ts';
import type { InstanceType, Provider, ProviderCatalog } from './catalog/types.ts';

export type { InstanceFamily, InstanceType, MicroUsd, Provider, ProviderCatalog } from './catalog/types.ts';
export { PROVIDERS } from './catalog/types.ts';

const catalogs: Record<Provider, ProviderCatalog> = { eks: eksCatalog, gke: gkeCatalog, aks: aksCatalog };

export function isProvider(value: string): value is Provider {
  return value === 'eks' || value === 'gke' || value === 'aks';
}

export function catalogOf(provider: Provider): ProviderCatalog {
  return catalogs[provider];
}

export function findInstanceType(provider: Provider, name: string): InstanceType | undefined {
  return catalogs[provider]?.instanceTypes.find((t) => t.name === name);
}

export function instanceTypesOf(provider: Provider): InstanceType[] {
  return catalogs[provider].instanceTypes;
}

export function regionsOf(provider: Provider): string[] {
  return Object.keys(catalogs[provider]?.regions ?? {});
}

/** Zones of a region, or [] when the provider has no such region. */
export function zonesOf(provider: Provider, region: string): string[] {
  return catalogs[provider]?.regions[region] ?? [];
}

export function tiersOf(provider: Provider): string[] {
  return catalogs[provider]?.tiers ?? [];
}

export function defaultTier(provider: Provider): string {
  return catalogs[provider].defaultTier;
}

/** On-demand price per instance-hour in micro-USD, or undefined when the region does not offer the type. */
export function hourlyPriceOf(provider: Provider, region: string, instanceType: string): number | undefined {
  return findInstanceType(provider, instanceType)?.hourlyMicroUsd[region];
}
