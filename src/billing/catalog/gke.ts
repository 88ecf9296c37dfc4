import data from './data/gke.json' with { type: 'json' };
import { loadCatalog, type CatalogData } from './load.ts';

/** GKE Standard's default max pods per node (the --max-pods-per-node default for VPC-native clusters). */
const GKE_MAX_PODS = 110;

/** GKE regions and Compute Engine prices from `data/gke.json`. Machine memory is sold in GB; kates
 * treats it as GiB. */
export const gkeCatalog = loadCatalog(data as CatalogData, {
  // Autopilot bills pod requests instead of nodes (shared/pricing.md §4.1).
  tiers: ['standard', 'autopilot'],
  defaultTier: 'standard',
  // n2d and c2d are AMD EPYC; e2, n2 and c2 run on Intel (e2 may also land on AMD, at the same price).
  cpu: (t) => (/^[a-z]\d+d-/.test(t) ? 'amd' : 'intel'),
  maxPods: () => GKE_MAX_PODS,
});
