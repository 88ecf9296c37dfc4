import { compileLabelSelector, type LabelSelector } from '../../scheduler/label-selector.ts';

/** The structured selector of workload specs (metav1.LabelSelector); one implementation serves all parts. */
export type { LabelSelector, LabelSelectorRequirement } from '../../scheduler/label-selector.ts';

/** True when the selector has no terms at all, which for a workload means "select everything". */
export function isEmptySelector(selector: LabelSelector | undefined | null): boolean {
  if (!selector) return false;
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/**
 * Kubernetes' LabelSelectorAsSelector semantics: a missing selector matches nothing, an empty one
 * everything; terms are ANDed; NotIn and DoesNotExist also match objects lacking the key.
 */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  return compileLabelSelector(selector)(labels);
}

/** The selector as kubectl prints it (`app=web,tier in (a,b)`), used in status.selector. */
export function formatSelector(selector: LabelSelector | undefined | null): string {
  if (!selector) return '';
  const parts = Object.entries(selector.matchLabels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  for (const req of selector.matchExpressions ?? []) {
    const vals = [...(req.values ?? [])].sort().join(',');
    if (req.operator === 'In') parts.push(`${req.key} in (${vals})`);
    else if (req.operator === 'NotIn') parts.push(`${req.key} notin (${vals})`);
    else if (req.operator === 'Exists') parts.push(req.key);
    else if (req.operator === 'DoesNotExist') parts.push(`!${req.key}`);
  }
  return parts.join(',');
}
