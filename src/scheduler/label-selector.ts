/** A compiled matcher over a label set. */
export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export const matchNothing: LabelMatcher = () => false;
export const matchEverything: LabelMatcher = () => true;

/**
 * Compiles a metav1.LabelSelector. An empty selector matches everything; a missing one (null or
 * undefined) matches nothing, as Kubernetes treats a nil selector in affinity and spread terms.
 * `NotIn` and `DoesNotExist` match objects that lack the key.
 */
export function compileLabelSelector(selector: LabelSelector | null | undefined): LabelMatcher {
  if (!selector) return matchNothing;
  const pairs = Object.entries(selector.matchLabels ?? {});
  const exprs = selector.matchExpressions ?? [];
  if (pairs.length === 0 && exprs.length === 0) return matchEverything;
  if (exprs.length === 0) return matchPairs(pairs);
  const checks: LabelMatcher[] = pairs.map(([k, v]) => (l) => l?.[k] === v);
  for (const e of exprs) checks.push(requirement(e));
  if (checks.length === 1) return checks[0];
  return (labels) => {
    for (const c of checks) if (!c(labels)) return false;
    return true;
  };
}

/** matchLabels alone is the common case (workload selectors): compare without closures per pair. */
function matchPairs(pairs: [string, string][]): LabelMatcher {
  if (pairs.length === 1) {
    const [k, v] = pairs[0];
    return (l) => l !== undefined && l[k] === v;
  }
  const keys = pairs.map((p) => p[0]);
  const values = pairs.map((p) => p[1]);
  return (l) => {
    if (!l) return false;
    for (let i = 0; i < keys.length; i++) if (l[keys[i]] !== values[i]) return false;
    return true;
  };
}

function requirement(e: LabelSelectorRequirement): LabelMatcher {
  const values = new Set(e.values ?? []);
  switch (e.operator) {
    case 'In':
      return (l) => l?.[e.key] !== undefined && values.has(l[e.key]);
    case 'NotIn':
      return (l) => l?.[e.key] === undefined || !values.has(l[e.key]);
    case 'Exists':
      return (l) => l?.[e.key] !== undefined;
    case 'DoesNotExist':
      return (l) => l?.[e.key] === undefined;
    default:
      // An invalid operator would have been rejected by validation; never match on it.
      return matchNothing;
  }
}

/** A selector from a plain map (Service and ReplicationController selectors); empty matches nothing. */
export function compileMapSelector(map: Record<string, string> | null | undefined): LabelMatcher {
  if (!map || Object.keys(map).length === 0) return matchNothing;
  return compileLabelSelector({ matchLabels: map });
}
