import { findInstanceType, type InstanceType, type Provider } from './catalog.ts';
import { aksPriceBooks } from './price-books/aks.ts';
import { eksPriceBooks } from './price-books/eks.ts';
import { gkePriceBooks } from './price-books/gke.ts';
import type { NanoUsd, PriceBook } from './price-books/types.ts';

export type { AutopilotRates, NanoUsd, PriceBook } from './price-books/types.ts';
export { HOURS_PER_BILLING_MONTH } from './price-books/types.ts';

const books: Record<Provider, PriceBook[]> = { eks: eksPriceBooks, gke: gkePriceBooks, aks: aksPriceBooks };

/** The book in force at `atMs` (the latest whose effective date is not after it); the oldest one
 * for times before every book, so early test clocks still price. */
export function priceBookAt(provider: Provider, atMs: number): PriceBook {
  const list = books[provider];
  let chosen = list[0];
  for (const book of list) if (Date.parse(book.effectiveFrom) <= atMs) chosen = book;
  return chosen;
}

export function priceBooksOf(provider: Provider): PriceBook[] {
  return books[provider];
}

/** Effective-date boundaries (ms) of a provider's books inside [from, to), for splitting windows. */
export function priceBookBoundaries(provider: Provider, fromMs: number, toMs: number): number[] {
  return books[provider].map((b) => Date.parse(b.effectiveFrom)).filter((t) => t > fromMs && t < toMs);
}

export interface NodePrice {
  type: InstanceType;
  hourly: NanoUsd;
  /** The region whose price was used (differs from the asked one when that region lacks the type). */
  region: string;
}

/** On-demand price of an instance type in a region; falls back to the type's first listed region so a
 * node is never silently free. Undefined only for a type the catalog does not know. */
export function nodePrice(book: PriceBook, instanceType: string, region: string): NodePrice | undefined {
  const type = findInstanceType(book.provider, instanceType);
  if (!type) return undefined;
  const override = book.nodePriceOverrides?.[instanceType];
  const priceRegion = override?.[region] !== undefined || type.hourlyMicroUsd[region] !== undefined ? region : Object.keys(type.hourlyMicroUsd)[0];
  const micro = override?.[priceRegion] ?? type.hourlyMicroUsd[priceRegion];
  // A region without a captured list price of its own is priced at the one standing in for it.
  const listedRegion = override?.[priceRegion] === undefined ? (type.priceRegions?.[priceRegion] ?? priceRegion) : priceRegion;
  return { type, hourly: micro * 1000, region: listedRegion };
}

export interface VolumeSpec {
  storageClass?: string;
  /** The class's `parameters.type` or `skuName`, when the volume came from a class that names one. */
  volumeType?: string;
}

/** Which priced volume type a volume is: its own type if the book prices it, else its class's, else
 * the provider's default class (e.g. an EBS class without `type` provisions gp3). */
export function volumeTypeOf(book: PriceBook, v: VolumeSpec): string {
  if (v.volumeType && book.storageGiBMonth[v.volumeType] !== undefined) return v.volumeType;
  const byClass = v.storageClass ? book.storageClassTypes[v.storageClass] : undefined;
  return byClass ?? book.defaultVolumeType;
}

export function controlPlaneRate(book: PriceBook, tier: string): NanoUsd {
  return book.controlPlaneHour[tier] ?? book.controlPlaneHour[Object.keys(book.controlPlaneHour)[0]];
}

export function billsPods(book: PriceBook, tier: string): boolean {
  return book.podBilledTiers.includes(tier);
}

/** Whether a cluster's fee may be paid by the provider's free-tier credit: GKE's covers one zonal or
 * Autopilot cluster per billing account, and every Autopilot cluster is regional, so being regional
 * only rules out a Standard cluster. */
export function freeTierEligible(book: PriceBook, tier: string, regional: boolean): boolean {
  if (!book.freeTier?.tiers.includes(tier)) return false;
  return !regional || billsPods(book, tier);
}
