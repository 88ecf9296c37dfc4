import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { KubeObject } from '../../kube/types.ts';

export const PRIORITY_CONFIGMAP = 'cluster-autoscaler-priority-expander';
export const PRIORITIES_KEY = 'priorities';

/** One priority level: node groups whose name any of the patterns finds win over lower levels. */
export interface PriorityLevel {
  priority: number;
  patterns: RegExp[];
}

export type PriorityConfig =
  { ok: true; levels: PriorityLevel[] } | { ok: false; reason: 'PriorityConfigMapMissing' | 'PriorityConfigMapInvalid'; message: string };

/** A warning the priority expander records on its ConfigMap (and in the autoscaler's decisions). */
export interface PriorityWarning {
  reason: string;
  message: string;
}

/**
 * Parses the `priorities` value: a YAML map of integer priority to a list of regular expressions
 * (upstream unmarshals it into Go's `map[int][]string`, so quoted keys, fractions and a bare string
 * instead of a list are errors, and any scalar in a list is taken as its text).
 */
export function parsePriorities(text: string): PriorityLevel[] | { error: string } {
  if (text === '') return { error: `priority configuration in ${PRIORITY_CONFIGMAP} configmap is empty; please provide valid configuration` };
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) return { error: `Can't parse YAML with priorities in the configmap: ${doc.errors[0].message}` };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return [];
  if (!isMap(root))
    return { error: "Can't parse YAML with priorities in the configmap: the document is not a map of priority to a list of regular expressions" };
  const byPriority = new Map<number, RegExp[]>();
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof key !== 'number' || !Number.isInteger(key))
      return {
        error: `Can't parse YAML with priorities in the configmap: priority ${String(isScalar(pair.key) ? (pair.key.source ?? key) : key)} is not an integer`,
      };
    const patterns: RegExp[] = [];
    const value = pair.value;
    if (isSeq(value)) {
      for (const item of value.items) {
        if (!isScalar(item))
          return { error: `Can't parse YAML with priorities in the configmap: priority ${key} lists something other than a regular expression` };
        const source = String(item.source ?? item.value);
        try {
          patterns.push(new RegExp(source));
        } catch (err) {
          return { error: `Can't compile regexp rule for priority ${key} and rule ${source}: ${(err as Error).message}` };
        }
      }
    } else if (!(isScalar(value) && value.value === null) && value !== null) {
      return { error: `Can't parse YAML with priorities in the configmap: priority ${key} must be a list of regular expressions` };
    }
    // A repeated priority keeps only one of its lists, as the README warns.
    byPriority.set(key, patterns);
  }
  return [...byPriority.entries()].map(([priority, patterns]) => ({ priority, patterns })).sort((a, b) => b.priority - a.priority);
}

/** Reads the expander's ConfigMap (`undefined` when it does not exist). */
export function priorityConfigFrom(cm: KubeObject | undefined): PriorityConfig {
  if (!cm) return { ok: false, reason: 'PriorityConfigMapMissing', message: `Priority expander config map ${PRIORITY_CONFIGMAP} not found` };
  const text = (cm.data as Record<string, string> | undefined)?.[PRIORITIES_KEY];
  if (text === undefined)
    return {
      ok: false,
      reason: 'PriorityConfigMapInvalid',
      message: `Wrong configmap for priority expander, doesn't contain ${PRIORITIES_KEY} key. Ignoring update.`,
    };
  const parsed = parsePriorities(text);
  if ('error' in parsed)
    return { ok: false, reason: 'PriorityConfigMapInvalid', message: `Wrong configuration for priority expander: ${parsed.error}. Ignoring update.` };
  return { ok: true, levels: parsed };
}

/** The highest priority whose patterns find `group` in its name, if any. */
export function groupPriority(group: string, levels: PriorityLevel[]): number | undefined {
  for (const level of levels) if (level.patterns.some((re) => re.test(group))) return level.priority;
  return undefined;
}

/**
 * The priority expander as a filter of a chain: the options of the best-priority groups survive.
 * Groups no pattern names are dropped with a warning when another group matched; when none matched,
 * or the configuration is missing or invalid, every option passes on to the next expander (the
 * fallback upstream adopted so that a bad ConfigMap does not stop scale-ups).
 */
export function filterByPriority<T>(options: T[], groupOf: (o: T) => string, config: PriorityConfig, warnings: PriorityWarning[]): T[] {
  if (!config.ok) {
    warnings.push({ reason: config.reason, message: config.message });
    return options;
  }
  let best: T[] = [];
  let top = -Infinity;
  for (const o of options) {
    const p = groupPriority(groupOf(o), config.levels);
    if (p === undefined) {
      warnings.push({
        reason: 'PriorityConfigMapNotMatchedGroup',
        message: `Priority expander: node group ${groupOf(o)} not found in priority expander configuration. The group won't be used.`,
      });
      continue;
    }
    if (p > top) {
      top = p;
      best = [];
    }
    if (p === top) best.push(o);
  }
  if (best.length === 0) {
    warnings.push({
      reason: 'PriorityConfigMapNoGroupMatched',
      message: 'Priority expander: no priorities info found for any of the expansion options. No options filtered.',
    });
    return options;
  }
  return best;
}
