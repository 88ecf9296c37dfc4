import data from './data/eks.json' with { type: 'json' };
import { loadCatalog, type CatalogData } from './load.ts';

/**
 * EKS regions and EC2 prices from `data/eks.json`. Max pods follow the VPC CNI's ENI limit, ENIs ×
 * (IPv4 addresses per ENI − 1) + 2 as in AWS' eni-max-pods.txt (m5.large: 3 × (10 − 1) + 2 = 29),
 * recorded per type in the data.
 */
export const eksCatalog = loadCatalog(data as CatalogData, {
  // Extended support applies to Kubernetes versions past their 14 months of standard support.
  tiers: ['standard', 'extended'],
  defaultTier: 'standard',
  // Graviton families end in g (m7g, t4g), AMD ones in a (m6a, t3a).
  cpu: (t) => (/^[a-z]+\d+[a-z]*g[a-z]*\./.test(t) ? 'arm' : /^[a-z]+\d+a[a-z]*\./.test(t) ? 'amd' : 'intel'),
  maxPods: (row) => row.maxPods ?? 29,
});
