import type { LabelSelector } from '../../kube/selectors/labels.ts';

/** The structured selector of workload specs (metav1.LabelSelector); one implementation serves all parts. */
export type { LabelSelector, LabelSelectorRequirement } from '../../kube/selectors/labels.ts';
export { selectorMatches } from '../../kube/selectors/labels.ts';

/** True when the selector has no terms at all, which for a workload means "select everything". */
export function isEmptySelector(selector: LabelSelector | undefined | null): boolean {
  if (!selector) return false;
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}
