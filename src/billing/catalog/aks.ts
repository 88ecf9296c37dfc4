import data from './data/aks.json' with { type: 'json' };
import { loadCatalog, type CatalogData } from './load.ts';

/** AKS max pods: Azure CNI Overlay, the default network plugin for new clusters, allows 250 pods per
 * node (kubenet's default is 110 and legacy Azure CNI's 30; AKS docs "Azure CNI Overlay networking"). */
const AKS_MAX_PODS = 250;

/** AKS regions (zones of the form <region>-<n>; `0` where a region has no availability zones) and
 * VM prices from `data/aks.json`. */
export const aksCatalog = loadCatalog(data as CatalogData, {
  tiers: ['free', 'standard', 'premium'],
  // `az aks create` uses the Free tier unless --tier is given.
  defaultTier: 'free',
  // An `a` after the size marks AMD (Standard_D2as_v5), a `p` Arm.
  cpu: (t) => (/^Standard_[A-Z]+\d+[a-z]*p/.test(t) ? 'arm' : /^Standard_[A-Z]+\d+a/.test(t) ? 'amd' : 'intel'),
  maxPods: () => AKS_MAX_PODS,
});
