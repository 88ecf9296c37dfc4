import type { PodSpec } from '../objects.ts';
import { compileNodeLabelRequirement } from './labels.ts';

/** A core/v1 NodeSelectorRequirement: labels support In, NotIn, Exists, DoesNotExist, Gt, Lt. */
interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** What node selection reads of a node (the scheduler's NodeInfo is one). */
export interface NodeLabels {
  name: string;
  labels: Record<string, string>;
}

export type NodeMatcher = (node: NodeLabels) => boolean;

/** matchFields only supports metadata.name with In / NotIn. */
function fieldRequirement(r: NodeSelectorRequirement): (name: string) => boolean {
  if (r.key !== 'metadata.name') return () => false;
  const values = r.values ?? [];
  if (r.operator === 'In') return (n) => values.length === 1 && values[0] === n;
  if (r.operator === 'NotIn') return (n) => values.length !== 1 || values[0] !== n;
  return () => false;
}

/** One term: its expressions and fields are ANDed; an empty term matches no node. */
export function compileNodeSelectorTerm(term: NodeSelectorTerm): NodeMatcher {
  const exprs = (term.matchExpressions ?? []).map(compileNodeLabelRequirement);
  const fields = (term.matchFields ?? []).map(fieldRequirement);
  if (exprs.length === 0 && fields.length === 0) return () => false;
  return (node) => exprs.every((m) => m(node.labels)) && fields.every((m) => m(node.name));
}

/** Terms are ORed. */
export function compileNodeSelectorTerms(terms: NodeSelectorTerm[] | undefined): NodeMatcher {
  const compiled = (terms ?? []).map(compileNodeSelectorTerm);
  return (node) => compiled.some((m) => m(node));
}

/**
 * The pod's hard node constraints: every `nodeSelector` pair AND (when present) one of the
 * required node-affinity terms. Returns undefined when the pod has none.
 */
export function requiredNodeAffinity(podSpec: Partial<PodSpec> | undefined): NodeMatcher | undefined {
  const selector: [string, string][] = Object.entries(podSpec?.nodeSelector ?? {}).map(([k, v]) => [k, String(v)]);
  const required = podSpec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms: NodeSelectorTerm[] | undefined = required?.nodeSelectorTerms;
  if (selector.length === 0 && !required) return undefined;
  const matchTerms = required ? compileNodeSelectorTerms(terms) : () => true;
  return (node) => {
    for (const [k, v] of selector) if (node.labels[k] !== v) return false;
    return matchTerms(node);
  };
}

/**
 * Node names the pod is pinned to through `matchFields metadata.name In`, when every required term
 * pins it (as DaemonSet pods are); undefined when any node could match.
 */
export function pinnedNodeNames(podSpec: Partial<PodSpec> | undefined): Set<string> | undefined {
  const terms: NodeSelectorTerm[] | undefined = podSpec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return undefined;
  const names = new Set<string>();
  for (const t of terms) {
    const pins = (t.matchFields ?? []).filter((f) => f.key === 'metadata.name' && f.operator === 'In');
    if (pins.length === 0) return undefined;
    // Several pins in one term intersect; a term with conflicting pins matches nothing.
    let term: Set<string> | undefined;
    for (const p of pins) {
      const vals = new Set(p.values ?? []);
      term = term ? new Set([...term].filter((n) => vals.has(n))) : vals;
    }
    for (const n of term ?? []) names.add(n);
  }
  return names;
}
