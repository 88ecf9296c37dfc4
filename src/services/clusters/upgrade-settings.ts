import type { Provider } from '../../billing/catalog.ts';
import { SURGE_DEFAULTS } from '../../clusters/upgrade-settings.ts';
import type { FieldIssue } from '../errors.ts';

/** What each provider refuses in its surge settings. */
export function upgradeSettingsIssues(provider: Provider, path: string, input: { maxSurge?: string; maxUnavailable?: string } | undefined): FieldIssue[] {
  if (!input) return [];
  const issues: FieldIssue[] = [];
  if (provider === 'eks' && input.maxSurge !== undefined)
    issues.push({
      field: `${path}.maxSurge`,
      message: 'EKS managed node groups have no maxSurge: they launch twice their zones in new nodes; set maxUnavailable',
    });
  if (provider === 'eks' && input.maxUnavailable === '0') issues.push({ field: `${path}.maxUnavailable`, message: 'EKS maxUnavailable must be at least 1' });
  if (provider === 'gke') {
    for (const k of ['maxSurge', 'maxUnavailable'] as const)
      if (input[k]?.endsWith('%')) issues.push({ field: `${path}.${k}`, message: 'GKE surge settings are node counts, not percentages' });
  }
  if (provider !== 'eks') {
    const d = SURGE_DEFAULTS[provider];
    const surge = input.maxSurge ?? d.maxSurge;
    const unavailable = input.maxUnavailable ?? d.maxUnavailable;
    if (/^0%?$/.test(surge) && /^0%?$/.test(unavailable)) issues.push({ field: `${path}.maxSurge`, message: 'maxSurge and maxUnavailable cannot both be 0' });
  }
  return issues;
}
